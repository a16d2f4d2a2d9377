/// Text from outside made inert for a terminal (docs/reference/behaviour.md "Conventions": what a server
/// sends is shown, never obeyed). A peer must not move the cursor, clear the screen,
/// retitle the window, hide a link behind innocent words (OSC 8) or reorder what is
/// shown (bidirectional overrides, the "Trojan Source" trick) — on the screen of the
/// person debugging it, nor in a CI log viewer that renders ANSI.
///
/// C0 controls and DEL are shown in caret notation (`^[`, `^G`, `^?`), as `cat -v`
/// and the REPL do; C1 controls (U+0080–U+009F, which some terminals take as CSI
/// and OSC) and the bidirectional formatting characters as `\u{9b}`. Line feed and
/// tab stay: they only move forward, and messages are often several lines.
public enum TerminalText {
    public static func escape(_ text: String) -> String {
        guard needsEscaping(text) else { return text }
        var shown = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A, 0x09: shown.append(scalar)
            case 0x00..<0x20: shown.append(contentsOf: "^\(Unicode.Scalar(UInt8(scalar.value) + 0x40))".unicodeScalars)
            case 0x7F: shown.append(contentsOf: "^?".unicodeScalars)
            case _ where isFormatting(scalar.value):
                shown.append(contentsOf: "\\u{\(String(scalar.value, radix: 16))}".unicodeScalars)
            default: shown.append(scalar)
            }
        }
        return String(shown)
    }

    /// C1 controls and the bidirectional embeddings, overrides and isolates.
    static func isFormatting(_ value: UInt32) -> Bool {
        (0x80...0x9F).contains(value) || (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value)
            || value == 0x200E || value == 0x200F || value == 0x061C
    }

    /// Fast path for the common case (ASCII text, a firehose of small messages): a
    /// word-at-a-time look at the bytes (`OutputScan`), then, only for text with
    /// controls or non-ASCII characters, the exact test on its scalars.
    static func needsEscaping(_ text: String) -> Bool {
        var text = text
        let mayNeed = text.withUTF8 { OutputScan.scan($0, starts: nil).mayNeedEscaping }
        return mayNeed
            && text.unicodeScalars.contains { scalar in
                (scalar.value < 0x20 && scalar.value != 0x0A && scalar.value != 0x09) || scalar.value == 0x7F
                    || isFormatting(scalar.value)
            }
    }
}

/// Why a flag's text is not a value of its kind, the reason alone: the argument
/// parser says "The value 'soon' is invalid for '--timeout <DURATION>': <reason>",
/// for a value from a profile too (its key is named then).
public struct ArgumentProblem: Error, CustomStringConvertible, Sendable {
    public let reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}

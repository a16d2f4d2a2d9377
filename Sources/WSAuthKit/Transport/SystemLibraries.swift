import CCrypto
import CCurl

/// The system libraries the client opens with dlopen on first use rather than at
/// start-up (docs/ARCHITECTURE.md, "Lean start-up"). One that cannot be loaded, or
/// lacks a function, ends the command with one line and exit 1: it is neither the
/// network nor the server.
public enum SystemLibraries {
    /// libcurl, and the libcrypto of the handshake's SHA-1: before the first handle.
    static func loadNetwork() throws(Failure) {
        if let problem = wsa_curl_load() {
            throw missing("libcurl", problem, install: "libcurl4 (libcurl.so.4, the OpenSSL build)")
        }
        try loadCrypto()
    }

    /// libcrypto alone, for SHA-256 before anything connects (PKCE).
    static func loadCrypto() throws(Failure) {
        if let problem = wsa_crypto_load() {
            throw missing("libcrypto", problem, install: "libssl3 (libcrypto.so.3)")
        }
    }

    /// The one line for a library that could not be loaded: the loader's reason and the
    /// Debian package that provides it.
    public static func missing(_ name: String, _ problem: UnsafePointer<CChar>, install package: String) -> Failure {
        Failure(.internal, "cannot load \(name): \(String(cString: problem)); install \(package)")
    }
}

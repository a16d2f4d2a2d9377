// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "wsauth",
    products: [
        .executable(name: "wsauth", targets: ["wsauth"]),
        // The reference server that `wsauth serve` and `wsauth demo` start: an executable
        // of its own, so that the client links no server framework, NIO or ICU (issue 13).
        .executable(name: "wsauth-serve", targets: ["wsauth-serve"]),
        // For Fuzz/, a package of its own so that fuzzing flags never touch this build.
        .library(name: "WSAuthKit", targets: ["WSAuthKit"]),
    ],
    dependencies: [
        // 1.8.2 without its FoundationEssentials import, so that the client links no
        // Foundation: made from the upstream tag by scripts/argument-parser.sh, which every
        // make target runs first (dependencies/swift-argument-parser.md).
        .package(path: ".build-deps/swift-argument-parser"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.3.0"),
    ],
    targets: [
        // dlopen and dlsym for the libraries below that are opened on first use.
        .target(name: "CLibraryLoader"),
        // libcurl, opened with dlopen on its first use (docs/ARCHITECTURE.md, "Lean
        // start-up"), behind typed wrappers of its variadic calls. Its headers come from
        // libcurl4-openssl-dev; the binary has no DT_NEEDED on libcurl.
        .target(name: "CCurl", dependencies: ["CLibraryLoader"]),
        // zlib for permessage-deflate (RFC 7692), with typed wrappers of its init macros.
        .systemLibrary(
            name: "CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // OpenSSL's libcrypto, which libcurl already loads: SHA-1 for Sec-WebSocket-Accept,
        // SHA-256 for PKCE. Opened with dlopen on first use, like libcurl.
        .target(name: "CCrypto", dependencies: ["CLibraryLoader"]),
        // libedit's readline-compatible callback interface, for the REPL: opened with
        // dlopen when the REPL starts, so the binary has no DT_NEEDED on libedit.
        .target(name: "CEditLine", dependencies: ["CLibraryLoader"]),
        .target(
            name: "WSAuthKit",
            dependencies: [
                "CCurl",
                "CZlib",
                "CCrypto",
            ]
        ),
        // The reference server: on someone else's RFC 6455 implementation, and kept
        // out of WSAuthKit so that the client library never links a server framework.
        .target(
            name: "WSAuthServer",
            dependencies: [
                // Secret.redact: the server's log redacts by the client's one rule.
                "WSAuthKit",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Crypto", package: "swift-crypto"),
                // Already in the graph through Hummingbird; named because the server
                // uses them directly: a refused handshake is answered on the channel
                // itself (see HandshakeRejection), header names are typed, and the
                // framework's own log is silenced (the server logs redacted lines).
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        // The flags of `wsauth serve`, shared by the client (help, completions, usage
        // errors) and the server executable that runs them.
        .target(
            name: "WSAuthServeOptions",
            dependencies: [.product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(
            name: "wsauth",
            dependencies: [
                "WSAuthKit",
                "WSAuthServeOptions",
                "CEditLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // The release client's link (docs/ARCHITECTURE.md, "Lean start-up"):
            // --static-swift-stdlib exports every symbol of the executable (the toolchain's
            // static-stdlib-args.lnk), but nothing looks ours up by name (the libraries
            // opened on first use hand out function pointers), and the export table was
            // 0.48 MB; lld (in the toolchain; gold lacks the option) packs the ~33,000
            // relative relocations of a PIE into DT_RELR (glibc >= 2.36), 0.83 MB less;
            // libgcc's unwinder is linked in like libstdc++ (`make release`), so that
            // libgcc_s is one library fewer to load and map at every start.
            // The functions common runs execute are laid out together, so that a run maps
            // few pages of the binary: packaging/wsauth.order names them, and
            // packaging/wsauth-unnamed.ld places those without a symbol (closure
            // destructors, thunks) first in .text; scripts/hot-functions.sh writes both from
            // the link map below (`make order`), and `make release` compiles with function
            // sections so that ours can move.
            linkerSettings: [
                .unsafeFlags(
                    [
                        "-Xlinker", "--no-export-dynamic",
                        "-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
                        "-Xclang-linker", "-static-libgcc",
                        "-Xlinker", "--symbol-ordering-file=\(Context.packageDirectory)/packaging/wsauth.order",
                        "-Xlinker", "--no-warn-symbol-ordering",
                        "-Xlinker", "-T", "-Xlinker", "\(Context.packageDirectory)/packaging/wsauth-unnamed.ld",
                        "-Xlinker", "-Map=\(Context.packageDirectory)/.build/wsauth.map",
                    ],
                    .when(configuration: .release)
                )
            ]
        ),
        .executableTarget(
            name: "wsauth-serve",
            dependencies: [
                "WSAuthServer",
                "WSAuthServeOptions",
                "WSAuthKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "WSAuthKitTests",
            dependencies: ["WSAuthKit"]
        ),
        // The command layer: `@testable import wsauth` of the executable target itself, so
        // that no file moves (docs/ARCHITECTURE.md, "Tests"). ArgumentParser is named
        // because the tests compare our profile table and tokenizer with its own model.
        .testTarget(
            name: "wsauthTests",
            dependencies: [
                "wsauth",
                "WSAuthKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The reference server's rules as values: sessions, tokens, device grants.
        .testTarget(
            name: "WSAuthServerTests",
            dependencies: ["WSAuthServer", "WSAuthKit", .product(name: "HTTPTypes", package: "swift-http-types")]
        ),
    ]
)

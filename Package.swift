// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "wsauth",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "wsauth", targets: ["wsauth"]),
        // For Fuzz/, a package of its own so that fuzzing flags never touch this build.
        .library(name: "WSAuthKit", targets: ["WSAuthKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // libcurl's headers plus typed wrappers of its variadic calls.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // zlib for permessage-deflate (RFC 7692), with typed wrappers of its init macros.
        .systemLibrary(
            name: "CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(
            name: "WSAuthKit",
            dependencies: [
                "CCurl",
                "CZlib",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "wsauth",
            dependencies: [
                "WSAuthKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "WSAuthKitTests",
            dependencies: ["WSAuthKit"]
        ),
    ]
)

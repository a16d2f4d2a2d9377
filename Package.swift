// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "wsauth",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "wsauth", targets: ["wsauth"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // libcurl's headers plus typed wrappers of its variadic calls.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .target(
            name: "WSAuthKit",
            dependencies: [
                "CCurl",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "TOMLKit", package: "TOMLKit"),
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

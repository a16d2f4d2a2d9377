// swift-tools-version:6.0
// libFuzzer targets for wsauth's parsers and protocol core. A package of its own, so
// that `swift build` and `swift test` at the root never build or instrument them.
//
//     make fuzz              # build with -sanitize=fuzzer,address and run each target
//
// Each target is an executable that hands its input function to libFuzzer's driver
// (see Sources/CLibFuzzer/driver.h for why not libFuzzer's own main). Built by hand:
//
//     swift build --package-path Fuzz -c release -Xswiftc -sanitize=fuzzer,address
import PackageDescription

let fuzzTargetDependencies: [Target.Dependency] = [
    "CLibFuzzer",
    .product(name: "WSAuthKit", package: "wsauth"),
]

let package = Package(
    name: "wsauth-fuzz",
    dependencies: [
        .package(name: "wsauth", path: "..")
    ],
    targets: [
        .systemLibrary(name: "CLibFuzzer"),
        .executableTarget(name: "FuzzConnection", dependencies: fuzzTargetDependencies),
        .executableTarget(name: "FuzzHandshake", dependencies: fuzzTargetDependencies),
        .executableTarget(name: "FuzzJSON", dependencies: fuzzTargetDependencies),
        .executableTarget(name: "FuzzJWT", dependencies: fuzzTargetDependencies),
        .executableTarget(name: "FuzzCookies", dependencies: fuzzTargetDependencies),
        .executableTarget(name: "FuzzGraphQL", dependencies: fuzzTargetDependencies),
        .executableTarget(name: "FuzzSTOMP", dependencies: fuzzTargetDependencies),
        .executableTarget(name: "FuzzRedactor", dependencies: fuzzTargetDependencies),
        .executableTarget(name: "FuzzMQTT", dependencies: fuzzTargetDependencies),
        .executableTarget(name: "FuzzActionCable", dependencies: fuzzTargetDependencies),
        .executableTarget(name: "FuzzPusher", dependencies: fuzzTargetDependencies),
    ]
)

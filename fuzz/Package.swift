// swift-tools-version: 6.1
import PackageDescription

/// libFuzzer targets for every input reader. Built apart from the main package (it needs
/// `-sanitize=fuzzer`): `fuzz/run --seconds 20` builds and runs them all.
let package = Package(
    name: "MuckWatchFuzz",
    // Through a link named for the package, so the identity does not depend on the clone's folder name.
    dependencies: [.package(path: "muckwatch-root")],
    targets: [
        .executableTarget(
            name: "FuzzInputs",
            dependencies: [.product(name: "MuckWatchIngest", package: "muckwatch-root"),
                           .product(name: "MuckWatchJT808", package: "muckwatch-root")]),
    ]
)

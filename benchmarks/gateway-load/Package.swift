// swift-tools-version: 6.1
import PackageDescription

/// Load test of the live gateway (loopback only, bounded in time): N simulated JT/T 808
/// terminals against an in-process `GatewayServer`. Built apart from the main package so
/// the root `swift test` never builds it: `benchmarks/gateway-load/run`.
let package = Package(
    name: "GatewayLoad",
    platforms: [.macOS(.v14)],
    // Through a link named for the package, so the identity does not depend on the clone's folder name.
    dependencies: [
        .package(path: "muckwatch-root"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        .executableTarget(
            name: "GatewayLoad",
            dependencies: [
                .product(name: "MuckWatchGateway", package: "muckwatch-root"),
                .product(name: "MuckWatchJournal", package: "muckwatch-root"),
                .product(name: "MuckWatchLive", package: "muckwatch-root"),
                .product(name: "MuckWatchIngest", package: "muckwatch-root"),
                .product(name: "MuckWatchJT808", package: "muckwatch-root"),
                .product(name: "MuckWatchBatch", package: "muckwatch-root"),
                .product(name: "MuckWatchJudge", package: "muckwatch-root"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]),
    ],
    swiftLanguageModes: [.v5]
)

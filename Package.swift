// swift-tools-version: 6.1
import PackageDescription

/// The folder tree follows the data flow (docs/architecture.md):
/// core → ingest → geo (projection, fence index) → analysis (per-vehicle state machine)
/// → judge (references, rules, cases, evidence, workflow) → store
/// → batch (the night's pipeline) | live (fix by fix) → gateway, review app, CLI.
/// Batch and live share the judge; neither depends on the other.
///
/// Every Swift target, tests included, is compiled with the same strict settings (set once,
/// at the end of this file): no implicit existentials, a module uses only the members of
/// modules it imports itself, and an import is internal unless a public declaration needs it
/// (`public import` then says which modules a target's API exposes).
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "MuckWatch",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "muckwatch", targets: ["muckwatch"]),
        .library(name: "MuckWatchBatch", targets: ["MuckWatchBatch"]),
        .library(name: "MuckWatchJudge", targets: ["MuckWatchJudge"]),
        .library(name: "MuckWatchIngest", targets: ["MuckWatchIngest"]),
        .library(name: "MuckWatchJT808", targets: ["MuckWatchJT808"]),
        .library(name: "MuckWatchLive", targets: ["MuckWatchLive"]),
        .library(name: "MuckWatchGateway", targets: ["MuckWatchGateway"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        // The review app: Hummingbird 2 without its configuration trait (nothing here reads it).
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        // Issue #20: dispatch webhooks (HTTP client, HMAC signatures) and Prometheus metrics.
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    ],
    targets: [
        .systemLibrary(name: "CProj", pkgConfig: "proj", providers: [.apt(["libproj-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),

        .target(name: "MuckWatchCore"),
        // JT/T 808: frames, the splitter for captures and streams, messages, the encoder, captures → fixes.
        .target(name: "MuckWatchJT808", dependencies: ["MuckWatchCore"]),
        .target(name: "MuckWatchIngest", dependencies: ["MuckWatchCore"]),
        .target(name: "MuckWatchGeo", dependencies: ["MuckWatchCore", "CProj"]),
        .target(name: "MuckWatchAnalysis", dependencies: ["MuckWatchCore", "MuckWatchGeo"]),
        // Judging, shared by batch and live: references, rules, case building, evidence, workflow.
        .target(
            name: "MuckWatchJudge",
            dependencies: ["MuckWatchCore", "MuckWatchIngest", "MuckWatchGeo", "MuckWatchAnalysis"]),
        .target(name: "MuckWatchStore", dependencies: ["MuckWatchCore", "MuckWatchJudge", "CSQLite"]),
        // The night's pipeline: reading, ordering, parallelism and the output writers.
        .target(
            name: "MuckWatchBatch",
            dependencies: ["MuckWatchCore", "MuckWatchIngest", "MuckWatchGeo", "MuckWatchAnalysis",
                           "MuckWatchJudge", "MuckWatchStore", "MuckWatchJT808"]),
        .target(
            name: "MuckWatchReview",
            dependencies: ["MuckWatchCore", "MuckWatchJudge", "MuckWatchStore",
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                           .product(name: "Mustache", package: "swift-mustache"),
                           .product(name: "Metrics", package: "swift-metrics"),
                           .product(name: "Logging", package: "swift-log")]),
        // Live: the same per-vehicle analyzer, rules and cases, fed fix by fix (no networking).
        .target(
            name: "MuckWatchLive",
            dependencies: ["MuckWatchCore", "MuckWatchGeo", "MuckWatchAnalysis", "MuckWatchJudge", "MuckWatchStore"]),
        // The JT/T 808 TCP gateway and the alert stream (SwiftNIO) in front of MuckWatchLive.
        .target(
            name: "MuckWatchGateway",
            dependencies: ["MuckWatchCore", "MuckWatchJT808", "MuckWatchLive",
                           .product(name: "NIOCore", package: "swift-nio"),
                           .product(name: "NIOPosix", package: "swift-nio"),
                           .product(name: "NIOHTTP1", package: "swift-nio"),
                           .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                           .product(name: "Metrics", package: "swift-metrics"),
                           .product(name: "Logging", package: "swift-log")]),
        // Issue #20: the dispatch outbox's worker (signed webhooks with retries), auto-dispatch rules, metrics.
        .target(
            name: "MuckWatchDispatch",
            dependencies: ["MuckWatchCore", "MuckWatchStore", "MuckWatchIngest",
                           .product(name: "AsyncHTTPClient", package: "async-http-client"),
                           .product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "Metrics", package: "swift-metrics"),
                           .product(name: "NIOCore", package: "swift-nio"),
                           .product(name: "NIOHTTP1", package: "swift-nio"),
                           .product(name: "Logging", package: "swift-log")]),
        .executableTarget(
            name: "muckwatch",
            dependencies: ["MuckWatchBatch", "MuckWatchJudge", "MuckWatchCore", "MuckWatchStore", "MuckWatchReview",
                           "MuckWatchLive", "MuckWatchIngest", "MuckWatchJT808",
                           "MuckWatchGateway", "MuckWatchDispatch",
                           .product(name: "Metrics", package: "swift-metrics"),
                           .product(name: "Prometheus", package: "swift-prometheus"),
                           .product(name: "ArgumentParser", package: "swift-argument-parser"),
                           .product(name: "NIOPosix", package: "swift-nio"),
                           .product(name: "Logging", package: "swift-log")],
            plugins: ["BuildInfo"]),
        .plugin(name: "BuildInfo", capability: .buildTool(), path: "Plugins/BuildInfo"),

        .testTarget(name: "MuckWatchCoreTests", dependencies: ["MuckWatchCore", "MuckWatchTestSupport"]),
        .testTarget(name: "MuckWatchJT808Tests", dependencies: ["MuckWatchJT808", "MuckWatchCore"]),
        .testTarget(name: "MuckWatchIngestTests", dependencies: ["MuckWatchIngest", "MuckWatchCore", "MuckWatchTestSupport"]),
        .testTarget(name: "MuckWatchGeoTests", dependencies: [
            "MuckWatchGeo", "MuckWatchCore", "MuckWatchTestSupport",
            .product(name: "PropertyBased", package: "swift-property-based")]),
        .target(
            name: "MuckWatchTestSupport", dependencies: ["MuckWatchAnalysis", "MuckWatchGeo", "MuckWatchCore"],
            path: "Tests/MuckWatchTestSupport"),
        .testTarget(name: "MuckWatchAnalysisTests", dependencies: [
            "MuckWatchAnalysis", "MuckWatchGeo", "MuckWatchCore", "MuckWatchTestSupport"]),
        .testTarget(name: "MuckWatchJudgeTests", dependencies: [
            "MuckWatchJudge", "MuckWatchAnalysis", "MuckWatchGeo", "MuckWatchCore", "MuckWatchTestSupport"]),
        .testTarget(name: "MuckWatchStoreTests", dependencies: ["MuckWatchStore", "MuckWatchJudge", "MuckWatchCore"]),
        .testTarget(name: "MuckWatchReviewTests", dependencies: [
            "MuckWatchJudge", "MuckWatchReview", "MuckWatchStore", "MuckWatchCore", "MuckWatchBatch", "MuckWatchTestSupport",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "Mustache", package: "swift-mustache")]),
        .testTarget(name: "MuckWatchBatchTests", dependencies: [
            "MuckWatchJudge", "MuckWatchBatch", "MuckWatchCore", "MuckWatchGeo", "MuckWatchIngest", "MuckWatchStore",
            "MuckWatchJT808", "MuckWatchTestSupport"]),
        .testTarget(name: "MuckWatchLiveTests", dependencies: [
            "MuckWatchJudge", "MuckWatchLive", "MuckWatchBatch", "MuckWatchCore", "MuckWatchIngest", "MuckWatchStore",
            "MuckWatchTestSupport"]),
        .testTarget(name: "MuckWatchGatewayTests", dependencies: [
            "MuckWatchJudge", "MuckWatchGateway", "MuckWatchLive", "MuckWatchBatch", "MuckWatchCore", "MuckWatchIngest", "MuckWatchJT808",
            "MuckWatchStore", .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio")]),
        .testTarget(name: "MuckWatchDispatchTests", dependencies: [
            "MuckWatchDispatch", "MuckWatchStore", "MuckWatchJudge", "MuckWatchCore", "MuckWatchIngest", "MuckWatchTestSupport",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types")]),
    ]
)

for target in package.targets where target.type != .system && target.type != .plugin {
    target.swiftSettings = (target.swiftSettings ?? []) + strict
}

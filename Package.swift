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
        .library(name: "MuckWatchJournal", targets: ["MuckWatchJournal"]),
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
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        // Issue #20: dispatch webhooks (HTTP client, HMAC signatures) and Prometheus metrics.
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        // The integration API (issue #20): stubs generated from Sources/MuckWatchAPI/openapi.json at build time.
        .package(url: "https://github.com/apple/swift-openapi-generator.git", from: "1.14.3"),
        .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.13.4"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird.git", from: "2.1.0"),
        // Issue #26: photo uploads (multipart forms).
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.1"),
    ],
    targets: [
        .systemLibrary(name: "CProj", pkgConfig: "proj", providers: [.apt(["libproj-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // Issue #23: PostgreSQL's own client library, for `--db postgres://…` (synchronous like SQLite's).
        .systemLibrary(name: "CPostgres", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        // GEOS's C API, for `muckwatch check`'s polygon validity and overlaps (issue #25).
        .systemLibrary(name: "CGEOS", pkgConfig: "geos", providers: [.apt(["libgeos-dev"])]),
        // Issue #21: Excel workbooks through libxlsxwriter (its C calls confined to `XLSXWorkbook`).
        .systemLibrary(name: "CXLSXWriter", pkgConfig: "xlsxwriter", providers: [.apt(["libxlsxwriter-dev"])]),
        // Issue #26: EXIF of officers' photos (capture time, GPS).
        .systemLibrary(name: "CExif", pkgConfig: "libexif", providers: [.apt(["libexif-dev"])]),

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
        // `muckwatch check`: the reference data checked (GEOS geometry, cross-references, datum against tracks).
        .target(name: "MuckWatchCheck", dependencies: ["MuckWatchCore", "MuckWatchIngest", "MuckWatchGeo", "CGEOS"]),
        .target(name: "MuckWatchStore", dependencies: ["MuckWatchCore", "MuckWatchJudge", "CSQLite", "CPostgres"]),
        // The night's pipeline: reading, ordering, parallelism and the output writers.
        .target(
            name: "MuckWatchBatch",
            dependencies: ["MuckWatchCore", "MuckWatchIngest", "MuckWatchGeo", "MuckWatchAnalysis",
                           "MuckWatchJudge", "MuckWatchStore", "MuckWatchJT808", "MuckWatchJournal"]),
        // Officers' reports (issue #21): the Excel workbook of cases, violations, funnel and league
        // tables, shared by `cases export --xlsx` and the review app's download.
        .target(name: "MuckWatchReports", dependencies: ["MuckWatchCore", "MuckWatchStore", "CXLSXWriter"]),
        .target(
            name: "MuckWatchReview",
            dependencies: ["MuckWatchCore", "MuckWatchJudge", "MuckWatchStore", "MuckWatchReports", "MuckWatchGeo",
                           "MuckWatchJournal",
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                           .product(name: "Mustache", package: "swift-mustache"),
                           .product(name: "Metrics", package: "swift-metrics"),
                           .product(name: "Logging", package: "swift-log"),
                           "CExif", .product(name: "MultipartKit", package: "multipart-kit"),
                           .product(name: "Crypto", package: "swift-crypto")]),
        // The integration API (issue #20): Bearer tokens, REST under /api/v1, ingestion into the chain inbox.
        // Spec first: the server stubs are generated from openapi.json, which is also served.
        .target(
            name: "MuckWatchAPI",
            dependencies: ["MuckWatchCore", "MuckWatchIngest", "MuckWatchJudge", "MuckWatchStore", "MuckWatchBatch",
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                           .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
                           .product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "Logging", package: "swift-log")],
            resources: [.copy("openapi.json")],
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]),
        // Live: the same per-vehicle analyzer, rules and cases, fed fix by fix (no networking).
        .target(
            name: "MuckWatchLive",
            dependencies: ["MuckWatchCore", "MuckWatchGeo", "MuckWatchAnalysis", "MuckWatchJudge", "MuckWatchStore"]),
        // Issue #24: the fix journal (segments, group commit, reader, export); a file descriptor and no NIO.
        .target(name: "MuckWatchJournal", dependencies: ["MuckWatchCore"]),
        // The JT/T 808 TCP gateway and the alert stream (SwiftNIO) in front of MuckWatchLive.
        .target(
            name: "MuckWatchGateway",
            dependencies: ["MuckWatchCore", "MuckWatchJT808", "MuckWatchLive", "MuckWatchJournal",
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
                           "MuckWatchLive", "MuckWatchIngest", "MuckWatchJT808", "MuckWatchJournal",
                           "MuckWatchGateway", "MuckWatchCheck", "MuckWatchDispatch", "MuckWatchReports", "MuckWatchAPI",
                           .product(name: "Metrics", package: "swift-metrics"),
                           .product(name: "Prometheus", package: "swift-prometheus"),
                           .product(name: "ArgumentParser", package: "swift-argument-parser"),
                           .product(name: "NIOPosix", package: "swift-nio"),
                           .product(name: "Logging", package: "swift-log")],
            plugins: ["BuildInfo"]),
        .plugin(name: "BuildInfo", capability: .buildTool(), path: "Plugins/BuildInfo"),

        .testTarget(name: "MuckWatchCoreTests", dependencies: [
            "MuckWatchCore", "MuckWatchTestSupport", .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(name: "MuckWatchJT808Tests", dependencies: ["MuckWatchJT808", "MuckWatchCore"]),
        .testTarget(name: "MuckWatchIngestTests", dependencies: ["MuckWatchIngest", "MuckWatchCore", "MuckWatchTestSupport"]),
        .testTarget(name: "MuckWatchGeoTests", dependencies: [
            "MuckWatchGeo", "MuckWatchCore", "MuckWatchTestSupport",
            .product(name: "PropertyBased", package: "swift-property-based")]),
        .target(
            name: "MuckWatchTestSupport", dependencies: ["MuckWatchAnalysis", "MuckWatchGeo", "MuckWatchCore", "MuckWatchStore"],
            path: "Tests/MuckWatchTestSupport"),
        .testTarget(name: "MuckWatchAnalysisTests", dependencies: [
            "MuckWatchAnalysis", "MuckWatchGeo", "MuckWatchCore", "MuckWatchTestSupport"]),
        .testTarget(name: "MuckWatchJudgeTests", dependencies: [
            "MuckWatchJudge", "MuckWatchAnalysis", "MuckWatchGeo", "MuckWatchCore", "MuckWatchTestSupport"]),
        .testTarget(name: "MuckWatchCheckTests", dependencies: [
            "MuckWatchCheck", "MuckWatchCore", "MuckWatchTestSupport"],
            exclude: ["Fixtures"]),
        .testTarget(name: "MuckWatchStoreTests", dependencies: [
            "MuckWatchStore", "MuckWatchJudge", "MuckWatchCore", "MuckWatchTestSupport"]),
        .testTarget(name: "MuckWatchReportsTests", dependencies: [
            "MuckWatchReports", "MuckWatchStore", "MuckWatchJudge", "MuckWatchCore", "MuckWatchBatch", "MuckWatchTestSupport"]),
        .testTarget(name: "MuckWatchReviewTests", dependencies: [
            "MuckWatchJournal", "MuckWatchJudge", "MuckWatchReview", "MuckWatchReports", "MuckWatchStore", "MuckWatchCore", "MuckWatchBatch", "MuckWatchTestSupport",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "Mustache", package: "swift-mustache")]),
        .testTarget(name: "MuckWatchAPITests", dependencies: [
            "MuckWatchAPI", "MuckWatchReview", "MuckWatchStore", "MuckWatchJudge", "MuckWatchCore", "MuckWatchBatch",
            "MuckWatchIngest", "MuckWatchTestSupport",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird")]),
        .testTarget(name: "MuckWatchBatchTests", dependencies: [
            "MuckWatchJudge", "MuckWatchBatch", "MuckWatchCore", "MuckWatchGeo", "MuckWatchIngest", "MuckWatchStore",
            "MuckWatchJT808", "MuckWatchTestSupport"]),
        .testTarget(name: "MuckWatchLiveTests", dependencies: [
            "MuckWatchJudge", "MuckWatchLive", "MuckWatchBatch", "MuckWatchCore", "MuckWatchIngest", "MuckWatchStore",
            "MuckWatchTestSupport"]),
        .testTarget(name: "MuckWatchJournalTests", dependencies: ["MuckWatchJournal", "MuckWatchCore", "MuckWatchTestSupport"]),
        .testTarget(name: "MuckWatchGatewayTests", dependencies: [
            "MuckWatchJournal", "MuckWatchTestSupport", "MuckWatchJudge", "MuckWatchGateway", "MuckWatchLive", "MuckWatchBatch", "MuckWatchCore", "MuckWatchIngest", "MuckWatchJT808",
            "MuckWatchStore", .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio")]),
        .testTarget(name: "MuckWatchDispatchTests", dependencies: [
            "MuckWatchDispatch", "MuckWatchStore", "MuckWatchJudge", "MuckWatchCore", "MuckWatchIngest", "MuckWatchTestSupport",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "HTTPTypes", package: "swift-http-types")]),
    ]
)

for target in package.targets where target.type != .system && target.type != .plugin {
    target.swiftSettings = (target.swiftSettings ?? []) + strict
}

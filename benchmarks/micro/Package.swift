// swift-tools-version:6.1
import PackageDescription

/// Micro-benchmarks of the pipeline's stages, one per stage, over the bundled sample night
/// (ordo-one/benchmark). Built apart from the main package so the root `swift build` and
/// `swift test` never build them or resolve the benchmark package: `benchmarks/micro/run`.
let package = Package(
    name: "MuckWatchMicro",
    platforms: [.macOS(.v14)],
    // Through a link named for the package, so the identity does not depend on the clone's folder name.
    dependencies: [
        .package(path: "muckwatch-root"),
        // The malloc counters come from this trait. The default traits also enable the Linux
        // ARC runtime interposer (swift-runtime-interposer), which the package mirror lacks.
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "Stages",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "MuckWatchBatch", package: "muckwatch-root"),
                .product(name: "MuckWatchJudge", package: "muckwatch-root"),
                .product(name: "MuckWatchIngest", package: "muckwatch-root"),
                .product(name: "MuckWatchJT808", package: "muckwatch-root"),
            ],
            path: "Benchmarks/Stages",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
    ],
    swiftLanguageModes: [.v5]
)

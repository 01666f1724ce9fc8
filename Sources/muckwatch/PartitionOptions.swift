public import ArgumentParser
import Foundation
public import MuckWatchCore
import MuckWatchBatch
import MuckWatchJudge

extension PlatePartition: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

/// The night's first and last fix time, `FIRST/LAST` (ISO 8601 with an offset, or Unix seconds).
struct NightSpan: ExpressibleByArgument {
    let range: ClosedRange<Int64>

    init?(argument: String) {
        let parts = argument.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let a = TimeParser.parse(String(parts[0])), let b = TimeParser.parse(String(parts[1])),
              a <= b else { return nil }
        range = a...b
    }
}

/// `analyze`'s options for one night split over several processes (issue #23,
/// docs/scale-out.md): the Spark driver runs one `analyze --partition K/N` per partition
/// into one shared `--db`.
struct PartitionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("""
        Judge only partition K of N: the vehicles whose plate hashes there (FNV-1a 64 of the plate, \
        modulo N; rows with no usable plate in partition 0). N partitions written into one --db \
        equal one run over the whole night; rerunning a partition replaces its own results only.
        """, valueName: "K/N"))
    var partition: PlatePartition?

    @Option(name: .customLong("night-span"), help: ArgumentHelp("""
        With --partition: the --traces hold only this partition's rows (the Spark driver's split), \
        and the whole night runs from FIRST to LAST (its first and last fix, ISO 8601 or Unix seconds).
        """, valueName: "FIRST/LAST"))
    var nightSpan: NightSpan?

    @Flag(name: .customLong("span-only"), help: """
        Only read the traces and print their first and last fix time and fix count as one JSON line \
        ({"first":…,"last":…,"fixes":…}, Unix seconds); nothing is judged or written.
        """)
    var spanOnly = false

    func validate() throws {
        if nightSpan != nil && partition == nil { throw ValidationError("--night-span needs --partition K/N") }
    }

    /// `--span-only`: the traces' span as one JSON line on standard output.
    func printSpan(_ o: AnalysisOptions) throws {
        do {
            let (span, fixes) = try Analysis.traceSpan(o)
            let first = span.map { String($0.lowerBound) } ?? "null", last = span.map { String($0.upperBound) } ?? "null"
            print(#"{"first":\#(first),"last":\#(last),"fixes":\#(fixes)}"#)
        } catch {
            FileHandle.standardError.write(Data("muckwatch analyze: \(error.description)\n".utf8))
            throw ExitCode(2)
        }
    }
}

import ArgumentParser
import Foundation
import MuckWatchCore
import MuckWatchStore
import MuckWatchBatch

/// `muckwatch cases summary`: the night's `summary.json` from the store, the N partitions
/// of a partitioned night added up (issue #23: what the Spark driver prints at the end).
struct CasesSummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Print the summary.json of the store's latest night (a partitioned night's N partitions merged).",
        discussion: """
            The night is that of the latest `analyze` run written into the store. When it was one \
            partition of N (--partition K/N), the latest run of each of the N partitions over the \
            same night is added up: the result equals the summary.json of one run over the whole \
            night. Exit status 1 when partitions are missing (the sum of those present is still printed).
            """)

    @OptionGroup var store: StoreOption

    @Option(help: ArgumentHelp("Also write the summary to this file.", valueName: "file"))
    var out: String?

    func run() throws {
        let s = try store.open()
        let night: NightSummary?
        do { night = try s.nightSummary() } catch { throw CLIError("\(store.db): \(error)") }
        guard let night else { throw CLIError("\(store.db): no analyze run with a summary in this store") }
        let bytes = OutputWriter.summaryBytes(night.summary)
        if let out {
            guard FileManager.default.createFile(atPath: out, contents: Data(bytes)) else {
                throw CLIError("\(out): cannot write the summary")
            }
        }
        FileHandle.standardOutput.write(Data(bytes))
        if !night.missing.isEmpty {
            FileHandle.standardError.write(Data("""
                muckwatch cases summary: partitions \(night.missing.map(String.init).joined(separator: ", ")) \
                of \(night.partitions) have no run in \(store.db) yet: the summary lacks them\n
                """.utf8))
            throw ExitCode(1)
        }
    }
}

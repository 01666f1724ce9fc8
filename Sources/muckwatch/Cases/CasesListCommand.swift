import ArgumentParser
import MuckWatchBatch
import MuckWatchStore

struct CasesListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List cases, newest first, with counts per status.")

    @OptionGroup var store: StoreOption
    @OptionGroup var filters: CaseFilterOptions
    @Option(help: "Show at most this many cases.")
    var limit: Int?
    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        let s = try store.open()
        do {
            let rows = try s.listCases(filters.filter, limit: limit)
            print(json ? CaseTable.json(rows) : CaseTable.text(rows, counts: try s.countsByStatus()), terminator: "")
        } catch { throw CLIError("\(store.db): \(error)") }
    }
}

import ArgumentParser
import MuckWatchCore
import MuckWatchStore

struct CasesStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Move a case through the workflow (open → dispatched → resolved | dismissed → closed; reopen).",
        discussion: "Every change is appended to the case's audit trail with who, when and why; a dismissal needs --note.")

    @OptionGroup var store: StoreOption
    @Argument(help: "The case id.")
    var id: String
    @Option(name: .customLong("to"), help: "The new status.")
    var status: Case.Status
    @Option(help: "Who is acting (recorded in the audit trail).")
    var actor: String
    @Option(help: "Why (required to dismiss).")
    var note: String?

    func run() throws {
        let s = try store.open()
        do {
            try s.setStatus(caseID: id, to: status, actor: actor, note: note)
            print("\(id): now \(status.rawValue)")
        } catch { throw CLIError("\(error)") }
    }
}

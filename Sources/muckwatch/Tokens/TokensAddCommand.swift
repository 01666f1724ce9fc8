import ArgumentParser
import MuckWatchAPI
import MuckWatchStore

/// `muckwatch tokens add NAME --scope …`: prints the new token once, on the last line.
struct TokensAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Create a token; it is printed once, on the last line (only its hash is stored).",
        discussion: """
            Scopes: read (cases, trips, statistics), dispatch (read, and move cases through the workflow), \
            ingest (post manifests, gate records and camera events; nothing else). With --department the \
            token sees and acts on only the cases routed to those departments. Changes made with the token \
            are audited as token:NAME. Example: TOKEN=$(muckwatch tokens add cm-system --scope dispatch \
            --department city_management --db DB | tail -1)
            """)

    @OptionGroup var store: StoreOption
    @Argument(help: "The token's name (the audit trail's actor is token:NAME).")
    var name: String
    @Option(help: "read, dispatch (includes read) or ingest.")
    var scope: TokenScope
    @Option(name: .customLong("department"),
            help: ArgumentHelp("A department whose cases the token may see (repeat for several; default: all).",
                               valueName: "name"))
    var departments: [String] = []

    func validate() throws {
        try UsersAddCommand.validateName(name, what: "token")
        if scope == .ingest, !departments.isEmpty {
            throw ValidationError("--department applies to read and dispatch tokens; an ingest token reads no cases")
        }
    }

    func run() throws {
        let s = try store.open()
        let secret = TokenSecret.generate()
        let added: Bool
        do {
            added = try s.addToken(APIToken(name: name, scope: scope, departments: departments),
                                   hash: TokenSecret.hash(secret))
        } catch { throw CLIError("\(store.db): \(error)") }
        guard added else {
            throw CLIError("a live token is already called \(name): revoke it first (muckwatch tokens revoke \(name)) or pick another name")
        }
        print("\(name): scope \(scope.rawValue)" + (departments.isEmpty ? ", every department" : " of " + departments.joined(separator: ", ")))
        print("the token, shown only now (send it as Authorization: Bearer TOKEN):")
        print(secret)
    }
}

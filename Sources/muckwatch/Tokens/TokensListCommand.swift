import ArgumentParser
import MuckWatchCore
import MuckWatchStore

/// `muckwatch tokens list`: name, scope, departments, created and revoked times (never the token).
struct TokensListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the tokens (never their secrets).")

    @OptionGroup var store: StoreOption

    func run() throws {
        let s = try store.open()
        do {
            for t in try s.tokens() {
                print([t.name, t.scope.rawValue, t.departments.isEmpty ? "*" : t.departments.joined(separator: ","),
                       "created " + s.clock.format(t.createdUnix),
                       t.revokedUnix.map { "revoked " + s.clock.format($0) } ?? "live"].joined(separator: "\t"))
            }
        } catch { throw CLIError("\(store.db): \(error)") }
    }
}

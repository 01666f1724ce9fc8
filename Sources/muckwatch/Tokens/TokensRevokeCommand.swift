import ArgumentParser
import MuckWatchStore

/// `muckwatch tokens revoke NAME`: the token stops working at once (a running server reads
/// the store on every request).
struct TokensRevokeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a token; it stops working at once.")

    @OptionGroup var store: StoreOption
    @Argument(help: "The token's name.")
    var name: String

    func run() throws {
        let s = try store.open()
        let revoked: Bool
        do { revoked = try s.revokeToken(name: name) } catch { throw CLIError("\(store.db): \(error)") }
        guard revoked else { throw CLIError("no live token called \(name) (muckwatch tokens list)") }
        print("\(name): revoked")
    }
}

public import ArgumentParser
public import MuckWatchStore

/// `muckwatch tokens`: the integration API's Bearer tokens, kept (as hashes) in the case store.
struct TokensCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens",
        abstract: "Create, list and revoke the integration API's tokens (docs/api.md).",
        subcommands: [TokensAddCommand.self, TokensListCommand.self, TokensRevokeCommand.self])
}

extension TokenScope: ExpressibleByArgument {}

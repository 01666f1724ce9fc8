import ArgumentParser

/// `muckwatch dispatch`: the dispatch outbox from a terminal (issue #20).
struct DispatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dispatch",
        abstract: "Look at the webhook deliveries of dispatched cases.",
        subcommands: [DispatchStatusCommand.self])
}

import ArgumentParser

/// `muckwatch journal`: the gateway's fix journal (issue #24, docs/journal.md), read offline.
struct JournalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journal",
        abstract: "Export or verify the live gateway's fix journal (--journal DIR).",
        discussion: "A day directory is also accepted by `muckwatch analyze --traces DIR/YYYY-MM-DD`.",
        subcommands: [JournalExportCommand.self, JournalVerifyCommand.self])
}

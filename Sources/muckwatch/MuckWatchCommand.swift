import ArgumentParser
import MuckWatchStore

@main
struct MuckWatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "muckwatch",
        abstract: "Supervise muck trucks: trips, violations and cases from GPS traces, cameras and fences.",
        discussion: """
            Start with `muckwatch analyze --help`. The contract for every input and output is \
            docs/formats.md (inputs: traces, camera events, geofences, permits, vehicles).
            """,
        version: Version.line,
        subcommands: [AnalyzeCommand.self, CheckCommand.self, CasesCommand.self, ServeCommand.self, UsersCommand.self,
                      JT808Command.self, GatewayCommand.self, ImportCommand.self, DispatchCommand.self,
                      TokensCommand.self, JournalCommand.self])

    /// `AsyncParsableCommand.main()`, with SQLite's process-wide settings applied before
    /// anything (PROJ included) opens SQLite.
    static func main() async {
        Database.applyProcessSettings()
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}

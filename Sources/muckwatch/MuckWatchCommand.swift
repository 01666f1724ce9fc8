import ArgumentParser

@main
struct MuckWatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "muckwatch",
        abstract: "Supervise muck trucks: trips, violations and cases from GPS traces, cameras and fences.")
}

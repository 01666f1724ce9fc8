import ArgumentParser
import Foundation
import MuckWatchReview

/// `muckwatch serve`: the officers' review app over a case store.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the case review web app (login, case list, case maps, workflow, statistics).",
        discussion: """
            Needs only the case store. Create accounts first with `muckwatch users add`. Cases that \
            `analyze` or the gateway write while the app runs appear on reload.
            """)

    @OptionGroup var store: StoreOption
    @Option(help: "Address to listen on (0.0.0.0 for every interface).")
    var host = "127.0.0.1"
    @Option(help: "Port to listen on.")
    var port = 8080
    @Flag(help: "Send cookies only over HTTPS (set this behind a TLS proxy).")
    var secureCookies = false
    @Option(help: "Hours a login lasts.")
    var sessionHours = 12
    @Option(help: ArgumentHelp("JSON config file; its \"deadlines\" object sets dispatch and handling deadlines "
        + "(default: dispatch within 2 h, handle within 24 h; docs/review-app.md).", valueName: "file"))
    var config: String?
    @Option(help: ArgumentHelp("Folder for officers' photos, never a served one (default: <db>.photos).",
                               valueName: "folder"))
    var photos: String?

    func run() async throws {
        _ = try store.open()
        guard (1...65535).contains(port) else { throw ValidationError("--port must be 1…65535") }
        var configuration = ReviewConfiguration(database: store.db, host: host, port: port,
                                                sessionLifetime: Int64(max(1, sessionHours)) * 3600,
                                                secureCookies: secureCookies)
        if let config {
            do { configuration.deadlines = try DeadlineConfig.load(path: config) } catch { throw CLIError(error.description) }
        }
        configuration.photoFolder = photos
        let (host, db) = (host, store.db)
        do {
            try await ReviewApp.run(configuration: configuration) { port in
                // Written at once (not print's buffer): a script waiting for the line sees it.
                FileHandle.standardOutput.write(
                    Data("MuckWatch review app on http://\(host):\(port)/ (store \(db)); Ctrl-C stops it\n".utf8))
            }
        } catch {
            throw CLIError("cannot serve on \(host):\(port): \(error) — is another server using that port? Try --port.")
        }
    }
}

import ArgumentParser
import Foundation
import Logging
import MuckWatchDispatch
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
    @Option(help: "Logs on stderr: text (for people) or json (one object per line, with each request's id).")
    var logFormat: LogFormat = .text
    @Option(help: ArgumentHelp("Config (JSON): dispatch_webhooks, dispatch_worker and auto_dispatch run the dispatch worker here (docs/dispatch.md).",
                               valueName: "file"))
    var config: String?

    func run() async throws {
        logFormat.bootstrap()
        _ = try store.open()
        guard (1...65535).contains(port) else { throw ValidationError("--port must be 1…65535") }
        let dispatch = try DispatchSetup.settings(config: config)
        var configuration = ReviewConfiguration(database: store.db, host: host, port: port,
                                                sessionLifetime: Int64(max(1, sessionHours)) * 3600,
                                                secureCookies: secureCookies)
        let registry = MetricsExport.bootstrap()
        configuration.metrics = { MetricsExport.text(registry) }
        let worker = try DispatchSetup.worker(db: store.db, settings: dispatch, logger: Logger(label: "muckwatch.dispatch"))
        configuration.readiness = { DispatchSetup.readiness(worker) }
        let (host, db) = (host, store.db)
        do {
            // The worker beside the server; when the server stops (SIGINT, SIGTERM) so does it.
            try await withThrowingTaskGroup(of: Void.self) { group in
                if let worker { group.addTask { await worker.run() } }
                try await ReviewApp.run(configuration: configuration) { port in
                    // Written at once (not print's buffer): a script waiting for the line sees it.
                    FileHandle.standardOutput.write(
                        Data("MuckWatch review app on http://\(host):\(port)/ (store \(db)); Ctrl-C stops it\n".utf8))
                }
                group.cancelAll()
            }
        } catch {
            throw CLIError("cannot serve on \(host):\(port): \(error) — is another server using that port? Try --port.")
        }
    }
}

import ArgumentParser
import Foundation
import MuckWatchAPI
import MuckWatchReview

/// `muckwatch serve`: the officers' review app over a case store.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the case review web app (login, case list, case maps, workflow, statistics) and the integration API.",
        discussion: """
            Needs only the case store. Create accounts first with `muckwatch users add`. Cases that \
            `analyze` or the gateway write while the app runs appear on reload. The integration API \
            (/api/v1, document at /api/openapi.json, docs/api.md) takes tokens from `muckwatch tokens add`.
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

    func run() async throws {
        _ = try store.open()
        guard (1...65535).contains(port) else { throw ValidationError("--port must be 1…65535") }
        let configuration = ReviewConfiguration(database: store.db, host: host, port: port,
                                                sessionLifetime: Int64(max(1, sessionHours)) * 3600,
                                                secureCookies: secureCookies)
        let (host, db) = (host, store.db)
        do {
            let api = try APIStore(path: db)
            try await ReviewApp.run(configuration: configuration, api: { try IntegrationAPI.add(to: $0, store: api) }) { port in
                // Written at once (not print's buffer): a script waiting for the line sees it.
                FileHandle.standardOutput.write(
                    Data("MuckWatch review app on http://\(host):\(port)/ (store \(db)); Ctrl-C stops it\n".utf8))
            }
        } catch {
            throw CLIError("cannot serve on \(host):\(port): \(error) — is another server using that port? Try --port.")
        }
    }
}

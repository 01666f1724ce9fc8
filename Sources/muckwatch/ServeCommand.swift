import ArgumentParser
import Foundation
import Logging
import MuckWatchDispatch
import MuckWatchJournal
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
            (/api/v1, document at /api/openapi.json, docs/api.md) takes tokens from `muckwatch tokens add`. \
            With --journal (the gateway's fix journal, read only) each violation on a case page also lists \
            the raw fixes of its window, the ones the simplified map track left out included.
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
    @Option(help: ArgumentHelp("Config (JSON): dispatch_webhooks, dispatch_worker and auto_dispatch run the dispatch worker here "
        + "(docs/dispatch.md); \"deadlines\" sets dispatch and handling deadlines (default: dispatch within 2 h, handle within 24 h; "
        + "docs/review-app.md).", valueName: "file"))
    var config: String?
    @Option(help: ArgumentHelp("Draw case maps on this tile server's basemap, e.g. http://tiles.example/{z}/{x}/{y}.png "
        + "(Leaflet from Debian's libjs-leaflet; without it the offline SVG map).", valueName: "url-template"))
    var tiles: String?
    @Option(help: ArgumentHelp("The tiles' datum: wgs84 (天地图, CGCS2000) or gcj02 (AMap-style); overlays are shifted to match.",
                               valueName: "datum"))
    var tilesDatum = "wgs84"
    @Option(help: ArgumentHelp("Folder that camera and gate image paths are relative to (the print page shows those found).",
                               valueName: "dir"))
    var images: String?
    @Option(help: ArgumentHelp("The app's address as officers reach it, for links in the Excel download "
        + "(default http://HOST:PORT).", valueName: "url"))
    var linkBase: String?
    @Option(help: ArgumentHelp("Folder for officers' photos, never a served one (default: <db>.photos; muckwatch.photos here for a PostgreSQL --db).",
                               valueName: "folder"))
    var photos: String?
    @Option(help: ArgumentHelp("The gateway's fix journal folder (its --journal DIR), read only: each violation on a case page "
        + "lists the raw fixes of its window from it, up to 500 (docs/review-app.md).", valueName: "dir"))
    var journal: String?

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
        configuration.linkBase = linkBase
        configuration.imageRoot = images
        if let tiles {
            guard let datum = Basemap.Datum(rawValue: tilesDatum) else {
                throw ValidationError("--tiles-datum \(tilesDatum): use wgs84 or gcj02")
            }
            do { configuration.basemap = try Basemap(template: tiles, datum: datum) } catch { throw CLIError(error.description) }
        }
        if let config {
            do { configuration.deadlines = try DeadlineConfig.load(path: config) } catch { throw CLIError(error.description) }
        }
        configuration.photoFolder = photos
        if let journal {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: journal, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("--journal \(journal): no such folder (give the gateway's --journal DIR)")
            }
            guard JournalDay.segments(in: journal).isEmpty else {
                throw ValidationError("--journal \(journal) is one night of a journal: give the folder that holds the nights "
                    + "(the gateway's --journal DIR)")
            }
            configuration.journal = journal
        }
        let (host, db) = (host, store.db)
        do {
            // The worker beside the server; when the server stops (SIGINT, SIGTERM) so does it.
            let api = try APIStore(path: db)
            try await withThrowingTaskGroup(of: Void.self) { group in
                if let worker { group.addTask { await worker.run() } }
                try await ReviewApp.run(configuration: configuration, api: { try IntegrationAPI.add(to: $0, store: api) }) { port in
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

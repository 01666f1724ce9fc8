import Foundation
import Hummingbird
import HummingbirdTesting
import MuckWatchAPI
import MuckWatchBatch
import MuckWatchCore
import MuckWatchReview
import MuckWatchStore
import MuckWatchTestSupport

/// A case store analyzed from the bundled sample night (with its manifests and gate records),
/// the tokens the tests call with, and the app `muckwatch serve` runs over it: the review
/// app's router with the integration API added, driven through the router or a real socket.
struct APIWorld {
    let backend: StoreBackend
    let dir: String
    let db: String
    /// The tokens' secrets by name: `reader` (read), `ops` (dispatch), `cm` (dispatch, city
    /// management only), `gates` (ingest), `gone` (read, revoked).
    let tokens: [String: String]

    /// The analyzed night: its run and its folder (cases.json beside the store), once per process.
    static let night: (run: RunResult, out: String) = {
        let out = ProcessScratch.folder("muckwatch-api-sample")
        let o = AnalysisOptions(references: BundledSample.references(chain: true), traces: [BundledSample.traces], out: out)
        let run = try! Analysis.run(o)
        try! Analysis.write(run, to: out)
        return (run, out)
    }()

    static var analyzed: String { night.out }

    /// The night's store on `backend`: a copy of the file, or (PostgreSQL, issue #23) the run
    /// written into a schema of its own. Each test calls `cleanup()` (deferred) when done.
    init(_ backend: StoreBackend = .sqlite) throws {
        self.backend = backend
        // The schema first: without a server configured, no folder is left behind.
        let schema = backend == .postgres ? try TestPostgres.freshSchema() : nil
        dir = NSTemporaryDirectory() + "muckwatch-api-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        switch backend {
        case .sqlite:
            db = dir + "/muckwatch.sqlite"
            try FileManager.default.copyItem(atPath: Self.analyzed + "/muckwatch.sqlite", toPath: db)
        case .postgres:
            db = schema!
            try Analysis.write(Self.night.run, to: dir, store: db)
        }
        let store = try CaseStore(path: db)
        var tokens: [String: String] = [:]
        let made: [(String, TokenScope, [String])] = [
            ("reader", .read, []), ("ops", .dispatch, []), ("cm", .dispatch, ["city_management"]),
            ("gates", .ingest, []), ("gone", .read, []),
        ]
        for (name, scope, departments) in made {
            let secret = TokenSecret.generate()
            guard try store.addToken(APIToken(name: name, scope: scope, departments: departments),
                                     hash: TokenSecret.hash(secret)) else { fatalError("token \(name) exists") }
            tokens[name] = secret
        }
        _ = try store.revokeToken(name: "gone")
        self.tokens = tokens
    }

    /// `init(_:)` on a thread of its own (`BlockingSetup`): what every test calls.
    static func make(_ backend: StoreBackend = .sqlite) async throws -> APIWorld {
        try await BlockingSetup.run { try APIWorld(backend) }
    }

    /// Removes the world's folder and, on PostgreSQL, drops its schema.
    func cleanup() {
        try? FileManager.default.removeItem(atPath: dir)
        if backend == .postgres { TestPostgres.drop(db) }
    }

    func store() throws -> CaseStore { try CaseStore(path: db) }

    /// The router `serve` runs: the review app's, with the API added.
    func router() throws -> Router<ReviewContext> {
        let router = ReviewApp.router(store: try ReviewStore(path: db), configuration: ReviewConfiguration(database: db))
        try IntegrationAPI.add(to: router, store: try APIStore(path: db))
        return router
    }

    /// Runs `body` against the app through the router, or (`live`) through `serve`'s own
    /// application listening on a real socket.
    func test<R: Sendable>(live: Bool, _ body: @Sendable (any TestClientProtocol) async throws -> R) async throws -> R {
        if live {
            let db = self.db
            // The idle cut at its 30 s default would race the test: the live client connects
            // before `body` runs, and on two cores busy with the whole suite `body` may start
            // later than that (seen in a loaded full run on 2026-12-04: "I/O on closed channel").
            let app = try ReviewApp.application(configuration: ReviewConfiguration(database: db, port: 0,
                                                                                   idleTimeoutSeconds: 600),
                                                api: { try IntegrationAPI.add(to: $0, store: try APIStore(path: db)) })
            return try await app.test(.live) { try await body($0) }
        }
        return try await Application(router: try router()).test(.router) { try await body($0) }
    }

    func headers(_ token: String?, json: Bool = false, ndjson: Bool = false) -> HTTPFields {
        var h = HTTPFields()
        if let token { h[.authorization] = "Bearer " + (tokens[token] ?? token) }
        if json { h[.contentType] = "application/json" }
        if ndjson { h[.contentType] = "application/x-ndjson" }
        return h
    }

    /// The cases.json objects of the analyzed night, by id, each as sorted-key JSON.
    static let casesJSON: [String: Data] = {
        let data = try! Data(contentsOf: URL(fileURLWithPath: analyzed + "/cases.json"))
        let list = try! JSONSerialization.jsonObject(with: data) as! [[String: Any]]
        return Dictionary(uniqueKeysWithValues: list.map { ($0["case_id"] as! String, canonical($0)) })
    }()
}

/// `object` as JSON with sorted keys: two objects with the same fields and values give the same bytes.
func canonical(_ object: Any) -> Data {
    try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed])
}

extension TestResponse {
    var text: String { String(decoding: body.readableBytesView, as: UTF8.self) }
}

/// A response body as JSON.
func json(_ r: TestResponse) throws -> [String: Any] {
    let data = Data(r.body.readableBytesView)
    guard let o = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
        throw APITestError("not a JSON object: \(String(decoding: data, as: UTF8.self))")
    }
    return o
}

struct APITestError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

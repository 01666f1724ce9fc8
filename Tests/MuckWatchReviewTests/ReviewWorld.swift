import Foundation
import Hummingbird
import HummingbirdTesting
import MuckWatchCore
import MuckWatchBatch
import MuckWatchReview
import MuckWatchStore
import MuckWatchTestSupport

/// A case store analyzed from the bundled sample night, with one account per role, and helpers
/// to drive the review app through its router as a browser would (cookies, CSRF fields, forms).
struct ReviewWorld {
    let backend: StoreBackend
    /// The world's own folder: the SQLite store, or the files `analyze` writes beside a
    /// PostgreSQL store, and the photo folder.
    let dir: String
    let db: String
    let clock: Clock

    /// A settable "now", so lockouts and session expiry can be tested without waiting.
    final class Clock: @unchecked Sendable {
        private let lock = NSLock()
        private var value: Int64 = 1_795_000_000
        var now: Int64 { lock.withLock { value } }
        func advance(_ s: Int64) { lock.withLock { value += s } }
    }

    static let root = BundledSample.root

    /// The sample night's store, written once per process; each world gets its own copy of it.
    static let analyzed: String = {
        let out = ProcessScratch.folder("muckwatch-review-sample")
        try! Analysis.write(sampleRun, to: out)
        return out + "/muckwatch.sqlite"
    }()

    /// The bundled sample night's v1 inputs (no manifests or gate records, whatever the folder holds).
    static func sampleOptions(out: String) -> AnalysisOptions {
        AnalysisOptions(references: BundledSample.references(chain: false), traces: [BundledSample.traces], out: out)
    }

    static let passwords = ["wang": "wang-officer-1", "zhao": "zhao-officer-1", "li": "li-supervisor-1",
                            "chen": "chen-auditor-1"]

    /// The sample night analyzed once per process: written into the file `analyzed` and into each
    /// PostgreSQL world's schema (a store that cannot be copied as a file).
    static let sampleRun: RunResult = try! Analysis.run(sampleOptions(out: ProcessScratch.folder("muckwatch-review-run")))

    /// A copy of the store at `source` (the sample night's unless told) with the four accounts.
    init(store source: String = ReviewWorld.analyzed) throws {
        try self.init(.sqlite, store: source)
    }

    /// The sample night's store on `backend` (PostgreSQL: `run`, the sample night's unless told,
    /// written into a schema of its own, issue #23), or a copy of the file at `source`, with the
    /// four accounts.
    /// Each test calls `cleanup()` (deferred) when done with the world.
    init(_ backend: StoreBackend, store source: String = ReviewWorld.analyzed, run: RunResult? = nil) throws {
        self.backend = backend
        // The schema first: without a server configured, no folder is left behind.
        let schema = backend == .postgres ? try TestPostgres.freshSchema() : nil
        dir = NSTemporaryDirectory() + "muckwatch-review-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        switch backend {
        case .sqlite:
            db = dir + "/muckwatch.sqlite"
            try FileManager.default.copyItem(atPath: source, toPath: db)
        case .postgres:
            db = schema!
            try Analysis.write(run ?? Self.sampleRun, to: dir, store: db)
        }
        clock = Clock()
        let store = try CaseStore(path: db)
        let accounts: [(String, Role, [String])] = [
            ("wang", .officer, ["city_management"]), ("zhao", .officer, ["traffic_police"]),
            ("li", .supervisor, []), ("chen", .auditor, []),
        ]
        for (name, role, departments) in accounts {
            try store.saveUser(User(name: name, role: role, departments: departments,
                                    passwordHash: Passwords.hash(Self.passwords[name]!, cost: 4)))
        }
    }

    /// `init(_:store:run:)` on a thread of its own (`BlockingSetup`): what every test calls.
    static func make(_ backend: StoreBackend = .sqlite, store source: String = ReviewWorld.analyzed,
                     run: RunResult? = nil) async throws -> ReviewWorld {
        try await BlockingSetup.run { try ReviewWorld(backend, store: source, run: run) }
    }

    /// Removes the world's folder and, on PostgreSQL, drops its schema.
    func cleanup() {
        try? FileManager.default.removeItem(atPath: dir)
        if backend == .postgres { TestPostgres.drop(db) }
    }

    /// The store's raw connection, for SQL the test writes itself (read-only on SQLite).
    func database() throws -> Database {
        switch backend {
        case .sqlite: try Database(path: db, flags: Database.readOnly)
        case .postgres: try Database(try StoreLocation(parsing: db))
        }
    }

    /// A store handle for checking what the app did.
    func store() throws -> CaseStore { try CaseStore(path: db) }

    /// The app's settings over this world's store. On PostgreSQL the photo folder is the world's
    /// own (the default, `muckwatch.photos` in the working folder, would be shared by every test
    /// and left behind); on SQLite it is the default, beside the store file.
    func configuration() -> ReviewConfiguration {
        var c = ReviewConfiguration(database: db)
        if backend == .postgres { c.photoFolder = photoFolder }
        return c
    }

    /// Where the app keeps this world's photos (see `configuration()`).
    var photoFolder: String { backend == .sqlite ? db + ".photos" : dir + "/photos" }

    func app() throws -> some ApplicationProtocol {
        let clock = self.clock
        let store = try ReviewStore(path: db, now: { clock.now })
        return Application(router: ReviewApp.router(store: store, configuration: configuration()))
    }

    /// The first case routed to `department` (and to no department of `excluding`).
    func caseRouted(to department: String, notTo excluded: String? = nil) throws -> CaseSummaryRow {
        try store().listCases(CaseFilter(department: department)).first {
            excluded == nil || !$0.departments.contains(excluded!)
        }!
    }
}

/// A browser's view of the app: its cookies and the CSRF token of the page it last saw.
struct Browser {
    var cookies: [String: String] = [:]
    var csrf: String?

    var cookieHeader: HTTPFields {
        var h = HTTPFields()
        if !cookies.isEmpty {
            h[.cookie] = cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        }
        return h
    }

    mutating func remember(_ response: TestResponse) {
        for value in response.headers[values: .setCookie] {
            let pair = value.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            if value.contains("Max-Age=0") { cookies[String(pair[0])] = nil } else { cookies[String(pair[0])] = String(pair[1]) }
        }
        if let token = Browser.hidden("csrf", in: String(buffer: response.body)) { csrf = token }
    }

    static func hidden(_ name: String, in html: String) -> String? {
        guard let r = html.range(of: #"name="\#(name)" value=""#) else { return nil }
        return String(html[r.upperBound...].prefix { $0 != "\"" })
    }

    static func form(_ fields: [String: String]) -> ByteBuffer {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_.~"))
        return ByteBuffer(string: fields.sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed)!)" }
            .joined(separator: "&"))
    }

    @discardableResult
    mutating func get(_ client: some TestClientProtocol, _ uri: String) async throws -> TestResponse {
        let r = try await client.execute(uri: uri, method: .get, headers: cookieHeader)
        remember(r)
        return r
    }

    @discardableResult
    mutating func post(_ client: some TestClientProtocol, _ uri: String, _ fields: [String: String],
                       csrf: String? = nil) async throws -> TestResponse {
        var fields = fields
        if fields["csrf"] == nil { fields["csrf"] = csrf ?? self.csrf ?? "" }
        var headers = cookieHeader
        headers[.contentType] = "application/x-www-form-urlencoded"
        let r = try await client.execute(uri: uri, method: .post, headers: headers, body: Browser.form(fields))
        remember(r)
        return r
    }

    /// Logs in as `user` (after loading the login form, as a browser must) and loads the case list.
    mutating func login(_ client: some TestClientProtocol, _ user: String, password: String? = nil) async throws
        -> TestResponse {
        try await get(client, "/login")
        let r = try await post(client, "/login", ["user": user, "password": password ?? ReviewWorld.passwords[user]!,
                                                  "next": "/cases"])
        if r.status == .seeOther { try await get(client, "/cases") }
        return r
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
}

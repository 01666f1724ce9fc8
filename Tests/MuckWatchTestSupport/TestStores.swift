public import Foundation
public import MuckWatchStore

/// Which store a test runs against: one suite, two stores (issue #23).
public enum StoreBackend: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite
    case postgres

    public var description: String { rawValue }
}

/// The test PostgreSQL server: `MUCKWATCH_TEST_POSTGRES` (a URL; `scripts/test` starts a
/// throwaway cluster and sets it). Not set is a failure that says so, never a skip.
public enum TestPostgres {
    public struct NotConfigured: Error, CustomStringConvertible {
        public var description: String {
            "MUCKWATCH_TEST_POSTGRES is not set: run scripts/test (it starts a throwaway PostgreSQL 15 + PostGIS), "
                + "or eval \"$(scripts/test-postgres start)\" first, or point it at a server with PostGIS"
        }
    }

    public static func url() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["MUCKWATCH_TEST_POSTGRES"], !url.isEmpty else {
            throw NotConfigured()
        }
        return url
    }

    /// `url` with a schema of its own (`schema=`), unique to one test.
    public static func freshSchema() throws -> String {
        let base = try url()
        let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        return base + (base.contains("?") ? "&" : "?") + "schema=" + schema
    }

    /// Drops the schema `location` names, with every table in it. Gives up after 30 s waiting for
    /// a lock (a connection of the test still inside a transaction): a left schema, not a hung run.
    public static func drop(_ location: String) {
        guard case let .postgres(p)? = try? StoreLocation(parsing: location), let schema = p.schema,
              let db = try? Database(postgres: try PostgresLocation(url: try url())) else { return }
        try? db.execute("SET lock_timeout = '30s'; DROP SCHEMA IF EXISTS \(schema) CASCADE")
    }
}

/// A fresh folder under the system temp dir and, beside it, a fresh store location of
/// `backend` (a file in the folder, or a schema of its own in the test server, so
/// parallel tests never meet); `cleanup()` removes both.
public struct TestStore: Sendable {
    public let backend: StoreBackend
    public let url: URL
    /// The store as `--db` takes it: the file's path or the server's URL with `schema=`.
    public let location: String

    public init(_ backend: StoreBackend = .sqlite, prefix: String = "muckwatch-test", file: String = "muckwatch.sqlite")
        throws {
        self.backend = backend
        // The schema first: without a server configured, no folder is left behind.
        let schema = backend == .postgres ? try TestPostgres.freshSchema() : nil
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        location = switch backend {
        case .sqlite: url.appendingPathComponent(file).path
        case .postgres: schema!
        }
    }

    /// Opens the store's raw connection (for tests that look at rows directly).
    public func database() throws -> Database { try Database(try StoreLocation(parsing: location)) }

    public func cleanup() {
        try? FileManager.default.removeItem(at: url)
        if backend == .postgres { TestPostgres.drop(location) }
    }
}

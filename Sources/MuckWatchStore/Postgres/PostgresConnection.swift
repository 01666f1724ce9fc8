import CPostgres

/// One blocking libpq connection: the PostgreSQL half of `Database` (issue #23).
///
/// Why libpq and not postgres-nio: the store is synchronous by design (one connection per
/// owner, prepare/bind/step, a transaction a closure), and SQLite blocks its caller on the
/// disk the same way libpq blocks on the socket. postgres-nio is async only: every step
/// would cross from the caller's thread to an event loop and wait there for the answer,
/// an escape on the hottest path of the store rather than in one place, and a caller on an
/// event loop (the gateway's) would deadlock. libpq is PostgreSQL's own client, a system
/// library like SQLite (`libpq-dev`), with TLS (`sslmode=`), and it never touches an event
/// loop: this connection blocks only the thread that owns the store, as SQLite does.
///
/// Statements are prepared once per connection and SQL text (`prepared`), described once
/// for their result columns, and run with text parameters whose types the server infers
/// from where each one stands (the store's SQL binds a value only where a column's type
/// tells it). Not thread-safe, like the SQLite handle: one owner.
final class PostgresConnection {
    let conn: OpaquePointer
    let location: PostgresLocation
    /// Rows the last INSERT/UPDATE/DELETE changed.
    var changes = 0
    private var prepared: [String: PostgresPrepared] = [:]
    /// Bumped when every prepared statement is dropped; a `PostgresStatement` of an older
    /// generation prepares again before it runs.
    private(set) var generation = 0
    /// Statements kept prepared on the server at most: SQL with values written into it
    /// (a `LIMIT 50`, a time) is a new statement each time, and a long-lived process
    /// would otherwise keep every one.
    static let preparedLimit = 2_000
    /// In pipeline mode (`pipeline`): the SQL of each statement sent and not yet read back.
    var unread: [String] = []
    var pipelining = false

    init(_ location: PostgresLocation) throws(StoreError) {
        self.location = location
        guard let c = PQconnectdb(location.url) else {
            throw .serverUnavailable(server: location.display, message: "out of memory", remedy: "")
        }
        guard PQstatus(c) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(c)).trimmingWhitespace
            PQfinish(c)
            throw PostgresFailure.connecting(location.display, message)
        }
        conn = c
        // Notices (`CREATE … IF NOT EXISTS` of what exists) are not the user's business.
        PQsetNoticeProcessor(c, { _, _ in }, nil)
        try execute("SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'", doing: "setting up the session")
        if let schema = location.schema {
            try execute("CREATE SCHEMA IF NOT EXISTS \(schema); SET search_path TO \(schema), public",
                        doing: "choosing schema \(schema)")
        }
    }

    deinit { PQfinish(conn) }

    var lastMessage: String { String(cString: PQerrorMessage(conn)).trimmingWhitespace }

    /// Runs SQL without parameters, several statements at once (migrations, BEGIN/COMMIT).
    func execute(_ sql: String, doing: @autoclosure () -> String) throws(StoreError) {
        let r = PQexec(conn, sql)
        defer { PQclear(r) }
        try check(r, doing: doing(), sql: sql)
    }

    /// The statement of `sql`, prepared and described on the first use on this connection.
    func prepare(_ sql: String) throws(StoreError) -> PostgresPrepared {
        if let p = prepared[sql] { return p }
        guard !pipelining else {
            // libpq allows no synchronous call in pipeline mode: prepare before `pipeline`.
            throw PostgresFailure.statement(location.display, state: "", message: "prepared inside a pipeline",
                                            doing: "preparing a statement", sql: sql)
        }
        if prepared.count >= Self.preparedLimit {
            try execute("DEALLOCATE ALL", doing: "dropping prepared statements")
            prepared.removeAll(keepingCapacity: true)
            generation += 1
        }
        let translated = PostgresPlaceholders(translating: sql)
        let name = "mw\(generation)_\(prepared.count + 1)"
        let r = PQprepare(conn, name, translated.sql, 0, nil)
        defer { PQclear(r) }
        try check(r, doing: "preparing a statement", sql: sql)
        let d = PQdescribePrepared(conn, name)
        defer { PQclear(d) }
        try check(d, doing: "describing a statement", sql: sql)
        let columns = (0..<PQnfields(d)).map { String(cString: PQfname(d, $0)) }
        let p = PostgresPrepared(name: name, sql: sql, parameters: translated, columns: columns, generation: generation)
        prepared[sql] = p
        return p
    }

    /// Runs a prepared statement with `values` (text, or bytes for a binary parameter).
    /// - Returns: the whole result, which the caller clears.
    func run(_ p: PostgresPrepared, _ values: PostgresValues) throws(StoreError) -> OpaquePointer? {
        let r = values.withParameters { pointers, lengths, formats in
            PQexecPrepared(conn, p.name, Int32(pointers.count), pointers.baseAddress, lengths.baseAddress,
                           formats.baseAddress, 0)
        }
        do {
            try check(r, doing: "running a statement", sql: p.sql)
        } catch {
            PQclear(r)
            throw error
        }
        return r
    }

    /// Throws unless `r` is a success; records the rows a command changed.
    func check(_ r: OpaquePointer?, doing: String, sql: String) throws(StoreError) {
        switch PQresultStatus(r) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            changes = Int(String(cString: PQcmdTuples(r))) ?? 0
        default:
            let state = PQresultErrorField(r, Int32(UInt8(ascii: "C"))).map { String(cString: $0) } ?? ""
            let message = r.map { String(cString: PQresultErrorMessage($0)) }?.trimmingWhitespace ?? lastMessage
            throw PostgresFailure.statement(location.display, state: state, message: message.isEmpty ? lastMessage : message,
                                            doing: doing, sql: sql)
        }
    }
}

/// A statement prepared on one connection: its server-side name and what it takes and gives.
struct PostgresPrepared {
    let name: String
    let sql: String
    let parameters: PostgresPlaceholders
    let columns: [String]
    let generation: Int
}

extension String {
    var trimmingWhitespace: String {
        var s = Substring(self)
        while let c = s.last, c.isWhitespace { s.removeLast() }
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        return String(s)
    }
}

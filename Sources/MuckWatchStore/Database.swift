public import CSQLite

/// `SQLITE_TRANSIENT` is a macro the importer cannot see: SQLite copies the bound bytes.
@usableFromInline
let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A thin, owning handle on one connection: SQLite (a file, the default) or PostgreSQL
/// (a server, issue #23), behind one door so every `CaseStore` extension is one code path.
///
/// Why a hand binding: the store needs only prepare/bind/step and transactions, and
/// wrapping them directly keeps bulk writes free of per-row boxing (no `[Any]` bindings)
/// while turning every failure into a `StoreError` that names the SQL and the step.
/// Why an enum and not a protocol: the backend is chosen once per connection and every
/// call switches over two cases, with no existential on the bulk writes' path.
/// What differs in meaning between the two is written per dialect in `SQLDialect`.
/// Not thread-safe: one `Database` belongs to one owner (the `CaseStore`).
public final class Database {
    enum Connection {
        case sqlite(OpaquePointer)
        case postgres(PostgresConnection)
    }

    let connection: Connection
    /// The file, or the server (`postgres://user@host:port/db`, no password).
    public let path: String

    /// Flags for a read-write store that is created when missing.
    public static let readWriteCreate = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
    /// Flags for reading an existing store only.
    public static let readOnly = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX

    public init(path: String, flags: Int32 = Database.readWriteCreate) throws(StoreError) {
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_EXRESCODE, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            if let db { sqlite3_close_v2(db) }
            throw .openFailed(path: path, code: rc, message: message)
        }
        connection = .sqlite(db)
        self.path = path
        sqlite3_busy_timeout(db, Self.busyTimeoutMilliseconds)
    }

    /// SQLite's process-wide settings: allocation statistics off, so `sqlite3_malloc` and
    /// `sqlite3_free` stop taking a global mutex on every call to count bytes nothing here
    /// reads. They hold only when applied before SQLite is first used in the process, by
    /// this module or by PROJ (which reads its `proj.db` through SQLite): the program's
    /// entry point calls this first. Returns whether they took effect.
    @discardableResult
    public static func applyProcessSettings() -> Bool {
        muckwatch_sqlite3_disable_memstatus() == SQLITE_OK
    }

    /// How long a statement waits for another connection's lock before failing busy.
    static let busyTimeoutMilliseconds: Int32 = 5_000

    /// Runs `body` with the busy timeout set to `milliseconds` (SQLite; PostgreSQL waits
    /// for its locks as it always does), then restores the usual one.
    func withBusyTimeout<R>(milliseconds: Int32, _ body: () throws(StoreError) -> R) throws(StoreError) -> R {
        guard case let .sqlite(handle) = connection else { return try body() }
        sqlite3_busy_timeout(handle, milliseconds)
        defer { sqlite3_busy_timeout(handle, Self.busyTimeoutMilliseconds) }
        return try body()
    }

    /// Connects to the PostgreSQL store at `location`.
    public init(postgres location: PostgresLocation) throws(StoreError) {
        connection = .postgres(try PostgresConnection(location))
        path = location.display
    }

    /// Opens the store at `location`, SQLite or PostgreSQL.
    public convenience init(_ location: StoreLocation) throws(StoreError) {
        switch location {
        case let .file(path): try self.init(path: path)
        case let .postgres(p): try self.init(postgres: p)
        }
    }

    deinit {
        if case let .sqlite(handle) = connection { sqlite3_close_v2(handle) }
    }

    /// Which SQL this connection speaks.
    public var dialect: SQLDialect {
        switch connection {
        case .sqlite: .sqlite
        case .postgres: .postgres
        }
    }

    /// The database's message for the last failure on this connection.
    var lastMessage: String {
        switch connection {
        case let .sqlite(handle): String(cString: sqlite3_errmsg(handle))
        case let .postgres(c): c.lastMessage
        }
    }

    /// Runs one or more statements that return no rows the caller needs (DDL, pragmas, BEGIN/COMMIT).
    public func execute(_ sql: String, doing: @autoclosure () -> String = "executing SQL") throws(StoreError) {
        switch connection {
        case let .sqlite(handle):
            var err: UnsafeMutablePointer<CChar>?
            let rc = sqlite3_exec(handle, sql, nil, nil, &err)
            if rc != SQLITE_OK {
                let message = err.map { String(cString: $0) } ?? lastMessage
                sqlite3_free(err)
                throw .sqlite(code: rc, message: message, doing: doing(), sql: sql)
            }
        case let .postgres(c):
            try c.execute(sql, doing: doing())
        }
    }

    /// Compiles a statement once so loops can rebind and step it without re-parsing.
    public func prepare(_ sql: String) throws(StoreError) -> Statement {
        switch connection {
        case let .sqlite(handle):
            var stmt: OpaquePointer?
            let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
            guard rc == SQLITE_OK, let stmt else {
                throw .sqlite(code: rc, message: lastMessage, doing: "preparing a statement", sql: sql)
            }
            return Statement(.sqlite(stmt), sql: sql, db: self)
        case let .postgres(c):
            return Statement(.postgres(PostgresStatement(try c.prepare(sql), on: c)), sql: sql, db: self)
        }
    }

    /// Runs `body`'s writes without a round trip each: on PostgreSQL as one pipeline
    /// (`PostgresConnection.pipeline`), on SQLite as they are (a call, not a round trip).
    /// For bulk inserts and upserts only: a statement run inside returns no rows and sets
    /// no `changes`, and every statement must be prepared before.
    public func pipelined<R>(_ body: () throws(StoreError) -> R) throws(StoreError) -> R {
        switch connection {
        case .sqlite: try body()
        case let .postgres(c): try c.pipeline(body)
        }
    }

    /// Runs `body` inside one write transaction, rolling back when it throws.
    /// SQLite: `BEGIN IMMEDIATE` takes the write lock up front so a concurrent writer fails
    /// fast (after the busy timeout) instead of deadlocking half-way through. PostgreSQL: the
    /// same single writer per store (`SQLDialect.beginWrite`), so the store's read-then-write
    /// steps (a status change checked against the current status) stay as safe as on SQLite.
    public func transaction<R>(_ body: () throws(StoreError) -> R) throws(StoreError) -> R {
        try execute(dialect.beginWrite, doing: "starting a transaction")
        do {
            let r = try body()
            try execute("COMMIT", doing: "committing a transaction")
            return r
        } catch {
            try? execute("ROLLBACK", doing: "rolling back a transaction")
            throw error
        }
    }

    /// Writes the open transaction's changed pages out of SQLite's page cache now (into the
    /// file under a rollback journal, into the log under WAL), without committing; nothing
    /// on PostgreSQL. A crash leaves the store as an unfinished transaction always does.
    public func writeChangedPages() throws(StoreError) {
        guard case let .sqlite(handle) = connection else { return }
        let rc = sqlite3_db_cacheflush(handle)
        guard rc == SQLITE_OK else {
            throw .sqlite(code: rc, message: lastMessage, doing: "writing the changed pages", sql: "")
        }
    }

    /// Rows changed by the last INSERT/UPDATE/DELETE.
    public var changes: Int {
        switch connection {
        case let .sqlite(handle): Int(sqlite3_changes(handle))
        case let .postgres(c): c.changes
        }
    }

    /// Id of the last successful INSERT (SQLite's rowid; PostgreSQL's last identity value
    /// this session drew, which for the store's tables is the same row's id).
    public var lastInsertRowID: Int64 {
        get throws(StoreError) {
            switch connection {
            case let .sqlite(handle): return sqlite3_last_insert_rowid(handle)
            case .postgres: return try scalarInt("SELECT lastval()") ?? 0
            }
        }
    }

    /// First column of the first row as an integer, `nil` for no row or NULL.
    public func scalarInt(_ sql: String) throws(StoreError) -> Int64? {
        let s = try prepare(sql)
        guard try s.step(), !s.isNull(0) else { return nil }
        return s.int64(0)
    }

    /// First column of the first row as text (`PRAGMA integrity_check`), `nil` for no row.
    public func scalarText(_ sql: String) throws(StoreError) -> String? {
        let s = try prepare(sql)
        guard try s.step() else { return nil }
        return s.string(0)
    }
}

/// A prepared statement: bind by 1-based index, `step()` through rows, read columns by 0-based index.
///
/// The indexes are SQLite's (PostgreSQL's `$n` are numbered the same, `PostgresPlaceholders`);
/// the store itself names them (`Parameters`, `ResultColumns`, resolved once per statement)
/// and uses these only through those, for pragmas whose result is one column, and in tests
/// that look at a store's raw rows.
/// Reused across rows in bulk writes: `reset()` clears the cursor, bindings are simply overwritten.
public final class Statement {
    enum Handle {
        case sqlite(OpaquePointer)
        case postgres(PostgresStatement)
    }

    let handle: Handle
    public let sql: String
    let db: Database

    init(_ handle: Handle, sql: String, db: Database) {
        self.handle = handle
        self.sql = sql
        self.db = db
    }

    deinit {
        if case let .sqlite(stmt) = handle { sqlite3_finalize(stmt) }
    }

    func check(_ rc: Int32, _ index: Int32) throws(StoreError) {
        if rc != SQLITE_OK {
            throw .sqlite(code: rc, message: db.lastMessage, doing: "binding parameter \(index)", sql: sql)
        }
    }

    /// The index of parameter `name` (`:name`), 0 when the SQL has none.
    func parameterIndex(_ name: String) -> Int32 {
        switch handle {
        case let .sqlite(stmt): sqlite3_bind_parameter_index(stmt, name)
        case let .postgres(p): p.parameterIndex(name)
        }
    }

    /// The result's column names, in order.
    var columnNames: [String] {
        switch handle {
        case let .sqlite(stmt): (0..<sqlite3_column_count(stmt)).map { String(cString: sqlite3_column_name(stmt, $0)) }
        case let .postgres(p): p.columns
        }
    }

    public func bind(_ index: Int32, _ value: Int64) throws(StoreError) {
        switch handle {
        case let .sqlite(stmt): try check(sqlite3_bind_int64(stmt, index, value), index)
        case let .postgres(p): try p.bind(index, text: String(value))
        }
    }

    public func bind(_ index: Int32, _ value: Int) throws(StoreError) { try bind(index, Int64(value)) }

    public func bind(_ index: Int32, _ value: Double) throws(StoreError) {
        switch handle {
        case let .sqlite(stmt): try check(sqlite3_bind_double(stmt, index, value), index)
        case let .postgres(p):
            // SQLite stores NaN as NULL; PostgreSQL spells the infinities out.
            try p.bind(index, text: value.isNaN ? nil : value.isInfinite ? (value < 0 ? "-Infinity" : "Infinity")
                                                                        : "\(value)")
        }
    }

    /// Binds text, or NULL for `nil`. The bytes are copied (SQLite: transient).
    public func bind(_ index: Int32, _ value: String?) throws(StoreError) {
        guard var s = value else { return try bindNull(index) }
        switch handle {
        case let .sqlite(stmt):
            let rc = s.withUTF8 { buf -> Int32 in
                if buf.isEmpty { return sqlite3_bind_text(stmt, index, "", 0, sqliteTransient) }
                return buf.withMemoryRebound(to: CChar.self) {
                    sqlite3_bind_text(stmt, index, $0.baseAddress, Int32($0.count), sqliteTransient)
                }
            }
            try check(rc, index)
        case let .postgres(p): try p.bind(index, text: s)
        }
    }

    /// Binds bytes as a BLOB (bytea on PostgreSQL), copied.
    public func bind(_ index: Int32, bytes: [UInt8]) throws(StoreError) {
        switch handle {
        case let .sqlite(stmt):
            let rc = bytes.withUnsafeBytes { buf in
                sqlite3_bind_blob(stmt, index, buf.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(buf.count),
                                  sqliteTransient)
            }
            try check(rc, index)
        case let .postgres(p): try p.bind(index, bytes: bytes)
        }
    }

    public func bind(_ index: Int32, _ value: Int64?) throws(StoreError) {
        if let value { try bind(index, value) } else { try bindNull(index) }
    }

    public func bind(_ index: Int32, _ value: Double?) throws(StoreError) {
        if let value, value.isFinite { try bind(index, value) } else { try bindNull(index) }
    }

    public func bindNull(_ index: Int32) throws(StoreError) {
        switch handle {
        case let .sqlite(stmt): try check(sqlite3_bind_null(stmt, index), index)
        case let .postgres(p): try p.bind(index, text: nil)
        }
    }

    /// Advances: `true` when a row is available, `false` when done.
    @discardableResult
    public func step() throws(StoreError) -> Bool {
        switch handle {
        case let .sqlite(stmt):
            let rc = sqlite3_step(stmt)
            if rc == SQLITE_ROW { return true }
            if rc == SQLITE_DONE { return false }
            let message = db.lastMessage
            sqlite3_reset(stmt)
            throw .sqlite(code: rc, message: message, doing: "running a statement", sql: sql)
        case let .postgres(p):
            return try p.step()
        }
    }

    /// Steps once (for INSERT/UPDATE/DELETE) and resets so the statement is ready for the next row.
    /// Inside `Database.pipelined` on PostgreSQL: sent, its result read at the pipeline's next sync.
    public func run() throws(StoreError) {
        if case let .postgres(p) = handle, p.connection.pipelining { return try p.send() }
        defer { reset() }
        while try step() {}
    }

    public func reset() {
        switch handle {
        case let .sqlite(stmt): sqlite3_reset(stmt)
        case let .postgres(p): p.reset()
        }
    }

    public func clearBindings() {
        switch handle {
        case let .sqlite(stmt): sqlite3_clear_bindings(stmt)
        case let .postgres(p): p.clearBindings()
        }
    }

    public func isNull(_ column: Int32) -> Bool {
        switch handle {
        case let .sqlite(stmt): sqlite3_column_type(stmt, column) == SQLITE_NULL
        case let .postgres(p): p.isNull(column)
        }
    }

    public func int64(_ column: Int32) -> Int64 {
        switch handle {
        case let .sqlite(stmt): sqlite3_column_int64(stmt, column)
        case let .postgres(p): p.int64(column)
        }
    }

    public func optionalInt64(_ column: Int32) -> Int64? { isNull(column) ? nil : int64(column) }

    public func double(_ column: Int32) -> Double {
        switch handle {
        case let .sqlite(stmt): sqlite3_column_double(stmt, column)
        case let .postgres(p): p.double(column)
        }
    }

    public func optionalDouble(_ column: Int32) -> Double? { isNull(column) ? nil : double(column) }

    /// Text of a column, `nil` for NULL. Read by byte count so embedded NULs survive.
    public func string(_ column: Int32) -> String? {
        switch handle {
        case let .sqlite(stmt):
            guard let p = sqlite3_column_text(stmt, column) else { return nil }
            let n = Int(sqlite3_column_bytes(stmt, column))
            return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
        case let .postgres(p):
            return p.string(column)
        }
    }

    /// Text of a NOT NULL column (empty when the store unexpectedly holds NULL).
    public func text(_ column: Int32) -> String { string(column) ?? "" }

    public func isBlob(_ column: Int32) -> Bool {
        switch handle {
        case let .sqlite(stmt): sqlite3_column_type(stmt, column) == SQLITE_BLOB
        case let .postgres(p): p.isBlob(column)
        }
    }

    /// The bytes of a BLOB (or text) column, valid only inside `body` (the database owns them).
    public func withBytes<R>(_ column: Int32, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        switch handle {
        case let .sqlite(stmt):
            let p = sqlite3_column_blob(stmt, column)
            let n = Int(sqlite3_column_bytes(stmt, column))
            return body(UnsafeRawBufferPointer(start: p, count: p == nil ? 0 : n))
        case let .postgres(p):
            return p.withBytes(column, body)
        }
    }
}

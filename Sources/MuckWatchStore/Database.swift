public import CSQLite

/// `SQLITE_TRANSIENT` is a macro the importer cannot see: SQLite copies the bound bytes.
@usableFromInline
let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A thin, owning handle on one SQLite connection.
///
/// Why a hand binding: the store needs only prepare/bind/step and transactions, and
/// wrapping them directly keeps bulk writes free of per-row boxing (no `[Any]` bindings)
/// while turning every failure into a `StoreError` that names the SQL and the step.
/// Not thread-safe: one `Database` belongs to one owner (the `CaseStore`).
public final class Database {
    @usableFromInline let handle: OpaquePointer
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
        handle = db
        self.path = path
        sqlite3_busy_timeout(db, 5_000)
    }

    deinit { sqlite3_close_v2(handle) }

    /// SQLite's message for the last failure on this connection.
    @usableFromInline var lastMessage: String { String(cString: sqlite3_errmsg(handle)) }

    /// Runs one or more statements that return no rows the caller needs (DDL, pragmas, BEGIN/COMMIT).
    public func execute(_ sql: String, doing: @autoclosure () -> String = "executing SQL") throws(StoreError) {
        var err: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &err)
        if rc != SQLITE_OK {
            let message = err.map { String(cString: $0) } ?? lastMessage
            sqlite3_free(err)
            throw .sqlite(code: rc, message: message, doing: doing(), sql: sql)
        }
    }

    /// Compiles a statement once so loops can rebind and step it without re-parsing.
    public func prepare(_ sql: String) throws(StoreError) -> Statement {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
        guard rc == SQLITE_OK, let stmt else {
            throw .sqlite(code: rc, message: lastMessage, doing: "preparing a statement", sql: sql)
        }
        return Statement(stmt, sql: sql, db: self)
    }

    /// Runs `body` inside `BEGIN IMMEDIATE … COMMIT`, rolling back when it throws.
    /// IMMEDIATE takes the write lock up front so a concurrent writer fails fast (after the busy timeout)
    /// instead of deadlocking half-way through.
    public func transaction<R>(_ body: () throws(StoreError) -> R) throws(StoreError) -> R {
        try execute("BEGIN IMMEDIATE", doing: "starting a transaction")
        do {
            let r = try body()
            try execute("COMMIT", doing: "committing a transaction")
            return r
        } catch {
            try? execute("ROLLBACK", doing: "rolling back a transaction")
            throw error
        }
    }

    /// Rows changed by the last INSERT/UPDATE/DELETE.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// Rowid of the last successful INSERT.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

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
/// The indexes are SQLite's; the store itself names them (`Parameters`, `ResultColumns`,
/// resolved once per statement) and uses these only through those, for pragmas whose
/// result is one column, and in tests that look at a file's raw rows.
/// Reused across rows in bulk writes: `reset()` clears the cursor, bindings are simply overwritten.
public final class Statement {
    @usableFromInline let stmt: OpaquePointer
    public let sql: String
    @usableFromInline let db: Database

    init(_ stmt: OpaquePointer, sql: String, db: Database) {
        self.stmt = stmt
        self.sql = sql
        self.db = db
    }

    deinit { sqlite3_finalize(stmt) }

    @usableFromInline
    func check(_ rc: Int32, _ index: Int32) throws(StoreError) {
        if rc != SQLITE_OK {
            throw .sqlite(code: rc, message: db.lastMessage, doing: "binding parameter \(index)", sql: sql)
        }
    }

    @inlinable
    public func bind(_ index: Int32, _ value: Int64) throws(StoreError) {
        try check(sqlite3_bind_int64(stmt, index, value), index)
    }

    @inlinable
    public func bind(_ index: Int32, _ value: Int) throws(StoreError) {
        try check(sqlite3_bind_int64(stmt, index, Int64(value)), index)
    }

    @inlinable
    public func bind(_ index: Int32, _ value: Double) throws(StoreError) {
        try check(sqlite3_bind_double(stmt, index, value), index)
    }

    /// Binds text, or NULL for `nil`. The bytes are copied by SQLite (transient).
    @inlinable
    public func bind(_ index: Int32, _ value: String?) throws(StoreError) {
        guard var s = value else { return try bindNull(index) }
        let rc = s.withUTF8 { buf -> Int32 in
            if buf.isEmpty { return sqlite3_bind_text(stmt, index, "", 0, sqliteTransient) }
            return buf.withMemoryRebound(to: CChar.self) {
                sqlite3_bind_text(stmt, index, $0.baseAddress, Int32($0.count), sqliteTransient)
            }
        }
        try check(rc, index)
    }

    /// Binds bytes as a BLOB (copied by SQLite, transient).
    public func bind(_ index: Int32, bytes: [UInt8]) throws(StoreError) {
        let rc = bytes.withUnsafeBytes { buf in
            sqlite3_bind_blob(stmt, index, buf.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(buf.count), sqliteTransient)
        }
        try check(rc, index)
    }

    @inlinable
    public func bind(_ index: Int32, _ value: Int64?) throws(StoreError) {
        if let value { try bind(index, value) } else { try bindNull(index) }
    }

    @inlinable
    public func bind(_ index: Int32, _ value: Double?) throws(StoreError) {
        if let value, value.isFinite { try bind(index, value) } else { try bindNull(index) }
    }

    @inlinable
    public func bindNull(_ index: Int32) throws(StoreError) {
        try check(sqlite3_bind_null(stmt, index), index)
    }

    /// Advances: `true` when a row is available, `false` when done.
    @discardableResult
    public func step() throws(StoreError) -> Bool {
        let rc = sqlite3_step(stmt)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        let message = db.lastMessage
        sqlite3_reset(stmt)
        throw .sqlite(code: rc, message: message, doing: "running a statement", sql: sql)
    }

    /// Steps once (for INSERT/UPDATE/DELETE) and resets so the statement is ready for the next row.
    public func run() throws(StoreError) {
        defer { sqlite3_reset(stmt) }
        while try step() {}
    }

    public func reset() { sqlite3_reset(stmt) }

    public func clearBindings() { sqlite3_clear_bindings(stmt) }

    public func isNull(_ column: Int32) -> Bool { sqlite3_column_type(stmt, column) == SQLITE_NULL }

    public func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(stmt, column) }

    public func optionalInt64(_ column: Int32) -> Int64? { isNull(column) ? nil : int64(column) }

    public func double(_ column: Int32) -> Double { sqlite3_column_double(stmt, column) }

    public func optionalDouble(_ column: Int32) -> Double? { isNull(column) ? nil : double(column) }

    /// Text of a column, `nil` for NULL. Read by byte count so embedded NULs survive.
    public func string(_ column: Int32) -> String? {
        guard let p = sqlite3_column_text(stmt, column) else { return nil }
        let n = Int(sqlite3_column_bytes(stmt, column))
        return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
    }

    /// Text of a NOT NULL column (empty when SQLite unexpectedly holds NULL).
    public func text(_ column: Int32) -> String { string(column) ?? "" }

    public func isBlob(_ column: Int32) -> Bool { sqlite3_column_type(stmt, column) == SQLITE_BLOB }

    /// The bytes of a BLOB (or text) column, valid only inside `body` (SQLite owns them).
    public func withBytes<R>(_ column: Int32, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        let p = sqlite3_column_blob(stmt, column)
        let n = Int(sqlite3_column_bytes(stmt, column))
        return body(UnsafeRawBufferPointer(start: p, count: p == nil ? 0 : n))
    }
}

/// An insert that replaces or updates the row already stored under the same key (SQLite's
/// `INSERT OR REPLACE`, an `ON CONFLICT … DO UPDATE`), run on SQLite as an `INSERT OR
/// IGNORE` first and as the replacing statement only when that wrote nothing.
///
/// Why: with foreign keys on, SQLite runs a statement that may delete or update the row
/// it conflicts with inside a statement journal, copying every page the row touches so
/// that can be undone; every table the store replaces rows in has a foreign key. A city
/// night's 62,714 manifests took twice the CPU that way as by plain inserts, its cases
/// 2.5 times (issue #19), though nearly every row of a batch run is new. The meaning stays
/// the replacing statement's: a row the first insert skipped, for its key or for a NOT NULL
/// or CHECK constraint, goes through it, and is replaced (with a new rowid, so the change
/// cursors see it), updated, or fails as it always did. On PostgreSQL the replacing
/// statement runs alone: a failed insert would end the transaction there, and its upsert
/// has no such cost.
struct ReplacingInsert<P: BoundStatement> {
    private let db: Database
    /// SQLite: the `INSERT OR IGNORE`; PostgreSQL: the replacing statement.
    private let insert: P
    /// SQLite's replacing statement, for a row `insert` skipped; `nil` on PostgreSQL.
    private let replace: P?

    /// - Parameters:
    ///   - ignoring: the `INSERT OR IGNORE` of the same columns (SQLite only).
    ///   - replacing: the statement whose meaning this is.
    ///   - parameters: names a prepared statement's parameters.
    init(_ db: Database, ignoring: String, replacing: String, _ parameters: (Statement) -> P) throws(StoreError) {
        self.db = db
        switch db.dialect {
        case .sqlite:
            insert = parameters(try db.prepare(ignoring))
            replace = parameters(try db.prepare(replacing))
        case .postgres:
            insert = parameters(try db.prepare(replacing))
            replace = nil
        }
    }

    /// Writes one row: `bind` binds its values to the statement it is given, twice when
    /// the row replaces one.
    func run(_ bind: (P) throws(StoreError) -> Void) throws(StoreError) {
        try bind(insert)
        try insert.statement.run()
        guard let replace, db.changes == 0 else { return }
        try bind(replace)
        try replace.statement.run()
    }
}

extension ReplacingInsert {
    /// Every column of `C` into `table`, replacing the row with the same `key`.
    init<C>(_ db: Database, into table: String, key: [C]) throws(StoreError) where P == Parameters<C> {
        try self.init(db, ignoring: db.dialect.insertOrIgnore(C.self, into: table),
                      replacing: db.dialect.insertOrReplace(C.self, into: table, key: key), Parameters.init)
    }

    /// Writes one row, `value(column)` for each column.
    func run<C>(_ value: (C) -> SQLValue) throws(StoreError) where P == Parameters<C> {
        try run { (p) throws(StoreError) in try p.bindEach(value) }
    }
}

/// A prepared statement with its parameters named, by one column set (`Parameters`) or more.
protocol BoundStatement {
    var statement: Statement { get }
}

extension Parameters: BoundStatement {}

/// A statement whose parameters two column sets name: a case's row (its own columns and
/// its trip's), a trip's row (its fields, shared with its case's row, and its own).
struct PairedParameters<A: ColumnSet, B: ColumnSet>: BoundStatement {
    let first: Parameters<A>
    let second: Parameters<B>
    var statement: Statement { first.statement }

    init(_ statement: Statement) {
        first = Parameters(statement)
        second = Parameters(statement)
    }
}

/// The statements whose meaning SQLite and PostgreSQL spell differently, each named and
/// written out for both, in this one place (issue #23). Everything else the store runs
/// is one SQL text for both: written in the common subset (`count(*) FILTER (WHERE …)`,
/// aliased subqueries), with SQLite's placeholders numbered for PostgreSQL mechanically
/// (`PostgresPlaceholders`).
public enum SQLDialect: Sendable, Equatable {
    case sqlite
    case postgres

    /// Starts a write transaction holding the store's one write lock until COMMIT.
    /// SQLite: `BEGIN IMMEDIATE`, the database's write lock. PostgreSQL: a transaction
    /// advisory lock keyed by the store's schema, so writers of one store take turns as on
    /// SQLite (a status change reads the status it checks and writes in one step) while
    /// readers and other stores in the same database never wait.
    var beginWrite: String {
        switch self {
        case .sqlite: "BEGIN IMMEDIATE"
        case .postgres: "BEGIN; SELECT pg_advisory_xact_lock(hashtext(current_schema()))"
        }
    }

    /// The column that orders a table's rows by when they were last written: the change
    /// cursor of the chain inbox (`CaseStore+ChainInbox`). SQLite's rowid (a replaced row
    /// is deleted and inserted, so takes a new one); on PostgreSQL `row_id`, drawn from a
    /// sequence on insert and again by every replace (`insertOrReplace`) of the tables in
    /// `cursorTables`.
    var rowCursor: String {
        switch self {
        case .sqlite: "rowid"
        case .postgres: "row_id"
        }
    }

    /// The tables read by change cursor.
    static let cursorTables: Set<String> = ["manifests", "gate_events", "camera_events"]

    /// An INSERT of every column of `C` that leaves an existing row (same key) alone.
    func insertOrIgnore<C: ColumnSet>(_: C.Type, into table: String) -> String {
        switch self {
        case .sqlite: C.insert("INSERT OR IGNORE", into: table)
        case .postgres: C.insert(into: table, then: "ON CONFLICT DO NOTHING")
        }
    }

    /// An INSERT of every column of `C` that replaces the row with the same `key`.
    func insertOrReplace<C: ColumnSet>(_: C.Type, into table: String, key: [C]) -> String {
        switch self {
        case .sqlite: C.insert("INSERT OR REPLACE", into: table)
        case .postgres: C.insert(into: table, then: Self.postgresReplace(table, key: key))
        }
    }

    /// `insertOrReplace`, skipped (no row changed) when the row with the same key already
    /// holds the same `content` (NULLs equal).
    func replaceUnlessSame<C: ColumnSet>(_: C.Type, into table: String, key: [C], content: [C]) -> String {
        switch self {
        case .sqlite:
            "INSERT OR REPLACE INTO \(table)(\(C.list())) SELECT \(C.parameters()) WHERE NOT EXISTS (SELECT 1 FROM \(table) WHERE "
                + content.map { "\($0.rawValue) IS :\($0.rawValue)" }.joined(separator: " AND ") + ")"
        case .postgres:
            C.insert(into: table, then: Self.postgresReplace(table, key: key)
                + " WHERE (\(C.list(content, named: { "\(table).\($0.rawValue)" })))"
                + " IS DISTINCT FROM (\(C.list(content, named: { "excluded.\($0.rawValue)" })))")
        }
    }

    private static func postgresReplace<C: ColumnSet>(_ table: String, key: [C]) -> String {
        let set = C.updatesFromExcluded(except: key) + (cursorTables.contains(table) ? ", row_id = DEFAULT" : "")
        return "ON CONFLICT (\(C.list(key))) DO UPDATE SET \(set)"
    }

    /// Sets a case's track geometry (PostGIS, for analysts) from its WKT, beside the bytes
    /// the app reads; `nil` where there is no geometry column (SQLite).
    var trackGeometryUpdate: String? {
        switch self {
        case .sqlite: nil
        case .postgres: "UPDATE case_tracks SET track_geom = ST_GeomFromText(:track_wkt, 4326) WHERE case_id = :case_id"
        }
    }

    /// The departments a case is routed to, in order, joined by U+001F (`case_id` is the
    /// outer query's case id column).
    func departmentList(caseID: String) -> String {
        switch self {
        case .sqlite:
            """
            (SELECT group_concat(department, char(31)) FROM
                (SELECT department FROM case_departments d WHERE d.case_id = \(caseID) ORDER BY d.ord) AS routed)
            """
        case .postgres:
            "(SELECT string_agg(department, chr(31) ORDER BY d.ord) FROM case_departments d WHERE d.case_id = \(caseID))"
        }
    }

    /// A case's distinct violation types joined by commas (in no order: readers sort).
    func violationTypeList(caseID: String) -> String {
        switch self {
        case .sqlite: "(SELECT group_concat(DISTINCT type) FROM violations v WHERE v.case_id = \(caseID))"
        case .postgres: "(SELECT string_agg(DISTINCT type, ',') FROM violations v WHERE v.case_id = \(caseID))"
        }
    }
}

public import MuckWatchStore

/// Every table of a store as text rows in one canonical order (each table's rows ordered by
/// all their columns), for asserting that two stores hold the same rows: the store written
/// beside the analysis and the one written after it (issue #22), or a store before and
/// after a run that failed.
///
/// Left out, always: the columns that are each write's own clock, never the run's content
/// (`wallClock`), and the `run_metadata` rows that are (`wallClockMetadata`).
/// Left out with `.renumbered` only: the row numbers the database hands out in the order
/// rows are inserted (`numbering`); references to them are written as what they number.
public enum StoreDump {
    public enum Numbering: Sendable {
        /// Row numbers kept: the same writes in the same order.
        case kept
        /// Row numbers left out: the same rows written in another order.
        case renumbered
    }

    /// Columns of wall-clock time: when a run started and finished (`runs`), when the
    /// pipeline wrote an audit row (`case_events`: the run's "now"), when a migration ran.
    public static let wallClock: [String: Set<String>] = [
        "runs": ["started_at", "started_unix", "finished_at", "finished_unix"],
        "case_events": ["at", "at_unix"],
        "migrations": ["applied_at", "applied_unix"],
    ]

    /// `run_metadata` keys whose value is wall-clock time: the run's start and the seconds
    /// each stage took.
    public static let wallClockMetadata = "key <> 'started_at' AND substr(key, 1, 8) <> 'seconds_'"

    /// Row numbers in insertion order: violations, evidence and audit rows (SQLite's rowid,
    /// PostgreSQL's identity), and PostgreSQL's change cursor of the chain tables (`row_id`).
    public static let numbering: [String: Set<String>] = [
        "violations": ["id"], "evidence": ["id"], "case_events": ["id"],
        "manifests": ["row_id"], "gate_events": ["row_id"], "camera_events": ["row_id"],
    ]

    /// The secondary indexes of `tables` in a SQLite store, name → the SQL that made them
    /// (a key's automatic index has none and is left out).
    public static func indexes(of tables: [String], _ db: Database) throws -> [String: String] {
        let st = try db.prepare("""
            SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL
            AND tbl_name IN (\(tables.map { "'\($0)'" }.joined(separator: ", ")))
            """)
        var out: [String: String] = [:]
        while try st.step() { out[st.text(0)] = st.text(1) }
        return out
    }

    /// Each table's rows, by table name.
    public static func tables(_ db: Database, numbering: Numbering) throws -> [String: [String]] {
        var out: [String: [String]] = [:]
        for table in try tableNames(db) {
            out[table] = try rows(db, table, numbering: numbering)
        }
        return out
    }

    /// The store's tables (SQLite's own `sqlite_sequence` too: the next row numbers).
    public static func tableNames(_ db: Database) throws -> [String] {
        try strings(db, db.dialect == .sqlite
            ? "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            : """
              SELECT table_name FROM information_schema.tables
              WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name
              """)
    }

    static func columns(_ db: Database, _ table: String) throws -> [String] {
        try strings(db, db.dialect == .sqlite
            ? "SELECT name FROM pragma_table_info('\(table)') ORDER BY cid"
            : """
              SELECT column_name FROM information_schema.columns
              WHERE table_schema = current_schema() AND table_name = '\(table)' ORDER BY ordinal_position
              """)
    }

    /// `table`'s rows, each its kept columns as text joined by `|` (NULL as `∅`, bytes as hex).
    public static func rows(_ db: Database, _ table: String, numbering: Numbering) throws -> [String] {
        let skipped = (wallClock[table] ?? []).union(numbering == .renumbered ? self.numbering[table] ?? [] : [])
        let kept = try columns(db, table).filter { !skipped.contains($0) }
        guard !kept.isEmpty else { return [] }
        let select = kept.map { column in
            // A violation's evidence names it by its case and place, not by its row number.
            numbering == .renumbered && table == "evidence" && column == "violation_id"
                ? "(SELECT v.case_id || '#' || v.ord FROM violations v WHERE v.id = evidence.violation_id)"
                : "\"\(column)\""
        }
        let filter = table == "run_metadata" ? " WHERE \(wallClockMetadata)" : ""
        let order = (1...kept.count).map(String.init).joined(separator: ", ")
        let s = try db.prepare("SELECT \(select.joined(separator: ", ")) FROM \(table)\(filter) ORDER BY \(order)")
        var out: [String] = []
        while try s.step() {
            out.append((0..<Int32(kept.count)).map { (k: Int32) -> String in
                if s.isNull(k) { return "∅" }
                if db.dialect == .sqlite && s.isBlob(k) {
                    return "x" + s.withBytes(k) { $0.map { String($0, radix: 16) }.joined(separator: ".") }
                }
                return s.text(k)
            }.joined(separator: "|"))
        }
        return out
    }

    static func strings(_ db: Database, _ sql: String) throws -> [String] {
        let s = try db.prepare(sql)
        var out: [String] = []
        while try s.step() { out.append(s.text(0)) }
        return out
    }
}

/// The secondary indexes of the manifests and gate passes, dropped when a run begins on
/// tables that hold no row yet and built again from the run's rows before its commit.
///
/// Why: a city night writes ~60,000 manifests and ~16,000 gate passes vehicle by vehicle,
/// in no order the indexes keep, and each row went into every index as it came: a B-tree
/// search and insert per index per row, on the store's one writer thread while both cores
/// were busy analyzing (issue #19). Built once from the finished table, an index is one
/// sort; it is built in `RunWrite.complete`, which `analyze` runs while the other core
/// writes the output files, when the writer would otherwise wait. The keys' own indexes
/// (`PRIMARY KEY`, `UNIQUE`) stay: the run's inserts are checked against them.
///
/// Only on SQLite, only for a table empty when the run begins (a store's first night, or
/// its first with manifests): rebuilding an index over earlier nights' rows would cost more
/// than it saves. All of it inside the run's transaction: a run that fails or is killed
/// rolls back to the indexes as they were, and readers never see a table without them.
struct IndexesAfterRows {
    /// The tables whose indexes may wait: those a run fills with rows nothing in the run
    /// reads back through an index.
    static let tables = ["manifests", "gate_events"]

    /// The dropped indexes' `CREATE INDEX` statements, as the schema held them.
    private(set) var definitions: [String] = []

    /// Nothing dropped, nothing to build.
    init() {}

    /// Drops the secondary indexes of each of `tables` that holds no row; inside the run's
    /// transaction, before its first row.
    init(db: Database) throws(StoreError) {
        guard db.dialect == .sqlite else { return }
        for table in Self.tables where try db.scalarInt("SELECT EXISTS (SELECT 1 FROM \(table))") == 0 {
            // Indexes with SQL of their own: a key's automatic index has none and stays.
            let named = try db.prepare("""
                SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL
                ORDER BY name
                """)
            try named.bind(1, table)
            var indexes: [(name: String, sql: String)] = []
            while try named.step() { indexes.append((named.text(0), named.text(1))) }
            for index in indexes {
                try db.execute("DROP INDEX \(index.name)",
                               doing: "dropping index \(index.name) until the run's rows are written")
                definitions.append(index.sql)
            }
        }
    }

    /// Builds the dropped indexes again; once, after the run's last row of those tables.
    mutating func rebuild(db: Database) throws(StoreError) {
        for sql in definitions { try db.execute(sql, doing: "building an index after the run's rows") }
        definitions = []
    }
}

import Foundation

/// The CHECK constraints a run writes its rows under, kept as SQLite evaluates them cheaply:
/// `state = 'open' OR state = 'closed' OR …` instead of `state IN ('open','closed',…)`.
///
/// Why: SQLite 3.40 evaluates a CHECK's `IN` list of three or more values by first building
/// a temporary B-tree of the list, once per execution of the statement, and the store
/// inserts one row per execution: the list is built again for every row. A city night's
/// 62,714 manifests (`state`, 4 values), 10,236 violations (`type`, 19 values; `source`,
/// 6), 21,599 evidence rows (`kind`, 6) and 8,702 cases and audit rows (`status`, 5) spent
/// ~0.35 s of CPU on it, a fifth of what the manifests and gate records add to the night
/// (issue #19, benchmarks/README.md). Compared one by one the values cost ~nothing.
///
/// The constraints mean what they meant: the same values are allowed, so every stored row
/// still satisfies them and the file's content does not change. SQLite cannot alter a CHECK;
/// its documented way to change one without rebuilding the table is to edit the table's SQL
/// in `sqlite_schema` (`PRAGMA writable_schema`) and bump the schema version, in one
/// transaction, which is what `rewrite` does, on a file whose migrations left the lists
/// (every file: the migrations are never edited). Not a migration: the schema's version
/// and meaning stay, so an older binary still opens the file.
///
/// Best effort: the rewrite is skipped when another connection is writing (the next open
/// does it), when the file cannot be written, or when the SQLite build refuses schema
/// edits (`SQLITE_DBCONFIG_DEFENSIVE`); the lists then stay, correct and slower.
enum CheckLists {
    /// The table and column of every list rewritten: those of the tables a run writes row by row.
    static let columns: [(table: String, column: String)] = [
        ("cases", "status"), ("case_events", "from_status"), ("case_events", "to_status"),
        ("violations", "type"), ("violations", "source"), ("evidence", "kind"), ("manifests", "state"),
    ]

    /// Rewrites the lists still in the file's tables (SQLite only; nothing on PostgreSQL,
    /// whose lists cost nothing). Called outside any transaction.
    static func rewrite(_ db: Database) {
        guard db.dialect == .sqlite, let pending = try? pendingRewrites(db), !pending.isEmpty else { return }
        do {
            try db.withBusyTimeout(milliseconds: 0) { () throws(StoreError) in
                try db.execute("BEGIN IMMEDIATE", doing: "starting a transaction")
                do throws(StoreError) {
                    let version = try db.scalarInt("PRAGMA schema_version") ?? 0
                    try db.execute("PRAGMA writable_schema = ON", doing: "allowing the schema to be edited")
                    let update = try db.prepare("UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = ?")
                    for (table, sql) in pending {
                        try update.bind(1, sql)
                        try update.bind(2, table)
                        try update.run()
                    }
                    // Every connection re-reads the schema once it sees the new version.
                    try db.execute("PRAGMA schema_version = \(version + 1)", doing: "bumping the schema version")
                    try db.execute("PRAGMA writable_schema = OFF", doing: "ending the schema edit")
                    try db.execute("COMMIT", doing: "committing the schema edit")
                } catch {
                    try? db.execute("ROLLBACK", doing: "rolling back the schema edit")
                    throw error
                }
            }
        } catch {
            try? db.execute("PRAGMA writable_schema = OFF", doing: "ending the schema edit")
            return  // busy, read-only or refused: the lists stay
        }
        // This connection parsed the schema before the edit: RESET makes it parse it again.
        try? db.execute("PRAGMA writable_schema = RESET", doing: "re-reading the schema")
    }

    /// Each table whose SQL still holds a list, with its SQL rewritten.
    static func pendingRewrites(_ db: Database) throws(StoreError) -> [(table: String, sql: String)] {
        var out: [(table: String, sql: String)] = []
        for table in Set(columns.map(\.table)).sorted() {
            let st = try db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?")
            try st.bind(1, table)
            guard try st.step(), let sql = st.string(0) else { continue }
            var rewritten = sql
            for c in columns where c.table == table {
                if let next = comparisons(in: rewritten, column: c.column) { rewritten = next }
            }
            if rewritten != sql { out.append((table, rewritten)) }
        }
        return out
    }

    /// `sql` with `column IN ('a', 'b', …)` spelled `column = 'a' OR column = 'b' OR …`;
    /// `nil` when `sql` has no such list for `column`, or a list of anything but plain
    /// quoted words. The list must be a CHECK's whole condition or one operand of its `OR`s
    /// (every list of `columns` is): the `OR`s then need no parentheses.
    static func comparisons(in sql: String, column: String) -> String? {
        var from = sql.startIndex
        var found: Range<String.Index>?
        // The first `column IN (` that starts a word (`to_status` is not `status`).
        while let r = sql.range(of: column + " IN (", range: from..<sql.endIndex) {
            if r.lowerBound == sql.startIndex || !Self.isWordCharacter(sql[sql.index(before: r.lowerBound)]) {
                found = r
                break
            }
            from = r.upperBound
        }
        guard let found, let close = sql[found.upperBound...].firstIndex(of: ")") else { return nil }
        var values: [String] = []
        for item in sql[found.upperBound..<close].split(separator: ",") {
            let value = item.trimmingCharacters(in: .whitespacesAndNewlines)
            guard value.count >= 3, value.first == "'", value.last == "'",
                  value.dropFirst().dropLast().allSatisfy({ Self.isWordCharacter($0) })
            else { return nil }
            values.append(value)
        }
        guard !values.isEmpty else { return nil }
        let comparisons = values.map { "\(column) = \($0)" }.joined(separator: " OR ")
        return sql[..<found.lowerBound] + comparisons + sql[sql.index(after: close)...]
    }

    private static func isWordCharacter(_ c: Character) -> Bool {
        c == "_" || (c.isASCII && (c.isLetter || c.isNumber))
    }
}

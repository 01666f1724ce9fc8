/// The columns of one table, or of one query's result, by their SQL names: the store's
/// counterpart of GRDB's `Columns` enums.
///
/// Why: statements bind and read through these names, resolved to the statement's indexes once
/// per prepared statement, so a column added, dropped or reordered in a list or a SELECT
/// cannot shift a value into its neighbour's place, and an exhaustive `switch` over a
/// record's columns makes the compiler ask for the value of a column added later.
protocol ColumnSet: RawRepresentable<String>, CaseIterable, Equatable, Sendable where AllCases == [Self] {}

extension ColumnSet {
    /// `a, b, c`: the columns' names, for an INSERT's column list or a SELECT.
    static func list(_ columns: [Self] = allCases, named name: (Self) -> String = \.rawValue) -> String {
        columns.map(name).joined(separator: ", ")
    }

    /// `:a, :b, :c`: one named parameter per column.
    static func parameters(_ columns: [Self] = allCases) -> String {
        columns.map { ":" + $0.rawValue }.joined(separator: ", ")
    }

    /// `a = excluded.a, …`: an upsert's update of every column but `except`.
    static func updatesFromExcluded(except: [Self] = [], named name: (Self) -> String = \.rawValue) -> String {
        allCases.filter { !except.contains($0) }.map { name($0) + " = excluded." + name($0) }
            .joined(separator: ", ")
    }

    /// `a = :a, …`: an UPDATE's assignments of `columns` from their parameters.
    static func assignments(_ columns: [Self], named name: (Self) -> String = \.rawValue) -> String {
        columns.map { name($0) + " = :" + $0.rawValue }.joined(separator: ", ")
    }
}

/// A value bound to a statement parameter.
enum SQLValue {
    case null
    case int(Int64)
    /// Bound as is: SQLite stores NaN as NULL, infinities as themselves.
    case double(Double)
    case text(String)
    /// Bound as a BLOB (a case's track, `TrackCodec`).
    case blob([UInt8])

    init(_ v: String?) { self = v.map { .text($0) } ?? .null }
    init(_ v: Int64?) { self = v.map { .int($0) } ?? .null }
    init(_ v: Int) { self = .int(Int64(v)) }
    /// A missing or non-finite number is NULL.
    init(_ v: Double?) {
        if let v, v.isFinite { self = .double(v) } else { self = .null }
    }
}

/// The parameters of a prepared statement that `C` names (`:name` in its SQL), each
/// resolved to SQLite's index when the statement is prepared.
struct Parameters<C: ColumnSet> {
    let statement: Statement
    /// The columns of `C` the statement has a parameter for, with that parameter's index.
    private let slots: ContiguousArray<(column: C, index: Int32)>

    init(_ statement: Statement) {
        self.statement = statement
        var slots = ContiguousArray<(column: C, index: Int32)>()
        for c in C.allCases {
            let index = statement.parameterIndex(":" + c.rawValue)
            if index > 0 { slots.append((c, index)) }
        }
        self.slots = slots
    }

    /// Prepares `sql` on `db` and names its parameters by `C`.
    init(_ db: Database, _ sql: String) throws(StoreError) {
        self.init(try db.prepare(sql))
    }

    /// Runs the statement once with the values bound (`Statement.run`).
    func run() throws(StoreError) { try statement.run() }

    /// Binds `value` to the parameter of `column`; a column the SQL has no parameter for
    /// is a programming error, reported with the SQL.
    func bind(_ column: C, _ value: SQLValue) throws(StoreError) {
        for slot in slots where slot.column == column {
            return try statement.bind(slot.index, value)
        }
        throw .missingParameter(column.rawValue, sql: statement.sql)
    }

    /// Binds every parameter the statement has, in its order, to `value(column)`: the
    /// bulk writes' path, one pass over indexes resolved at prepare time.
    func bindEach(_ value: (C) -> SQLValue) throws(StoreError) {
        for slot in slots { try statement.bind(slot.index, value(slot.column)) }
    }
}

/// The result columns of a prepared statement that `C` names, found by name when the
/// statement is prepared: a SELECT may list them in any order. Its parameters, when `C`
/// names them too, are bound through `bind`.
struct ResultColumns<C: ColumnSet> {
    let statement: Statement
    let parameters: Parameters<C>
    /// The columns read and, at the same positions, each one's index in the result.
    private let columns: ContiguousArray<C>
    private let indexes: ContiguousArray<Int32>

    /// - Parameters:
    ///   - columns: the columns the caller reads (all of `C` unless told).
    ///   - name: a column's name in the result, when not its raw value.
    /// - Throws: `.missingColumn` when the result lacks one of `columns`.
    init(_ statement: Statement, reading columns: [C] = C.allCases, named name: (C) -> String = \.rawValue)
        throws(StoreError) {
        self.statement = statement
        parameters = Parameters(statement)
        let resultNames = statement.columnNames
        var indexes = ContiguousArray<Int32>()
        for c in columns {
            guard let i = resultNames.firstIndex(of: name(c)) else {
                throw .missingColumn(name(c), sql: statement.sql)
            }
            indexes.append(Int32(i))
        }
        self.columns = ContiguousArray(columns)
        self.indexes = indexes
    }

    /// Prepares `sql` on `db` and names its result by `C`.
    init(_ db: Database, _ sql: String, reading columns: [C] = C.allCases, named name: (C) -> String = \.rawValue)
        throws(StoreError) {
        try self.init(try db.prepare(sql), reading: columns, named: name)
    }

    /// Prepares `SELECT <columns> FROM <from>` on `db`, reading those columns.
    init(_ db: Database, select columns: [C] = C.allCases, from: String) throws(StoreError) {
        try self.init(db, "SELECT \(C.list(columns)) FROM \(from)", reading: columns)
    }

    func bind(_ column: C, _ value: SQLValue) throws(StoreError) { try parameters.bind(column, value) }

    /// Advances to the next row: `true` when there is one.
    func step() throws(StoreError) -> Bool { try statement.step() }

    func reset() { statement.reset() }

    /// The result index of `column`; reading a column the statement was not prepared to
    /// read is a bug in the store.
    func index(_ column: C) -> Int32 {
        guard let k = columns.firstIndex(of: column) else {
            preconditionFailure("\(column.rawValue) is not read from: \(statement.sql)")
        }
        return indexes[k]
    }

    func isNull(_ c: C) -> Bool { statement.isNull(index(c)) }
    func int64(_ c: C) -> Int64 { statement.int64(index(c)) }
    func optionalInt64(_ c: C) -> Int64? { statement.optionalInt64(index(c)) }
    func double(_ c: C) -> Double { statement.double(index(c)) }
    func optionalDouble(_ c: C) -> Double? { statement.optionalDouble(index(c)) }
    func string(_ c: C) -> String? { statement.string(index(c)) }
    func text(_ c: C) -> String { statement.text(index(c)) }
    func isBlob(_ c: C) -> Bool { statement.isBlob(index(c)) }
    func withBytes<R>(_ c: C, _ body: (UnsafeRawBufferPointer) -> R) -> R { statement.withBytes(index(c), body) }
}

extension Statement {
    func bind(_ index: Int32, _ value: SQLValue) throws(StoreError) {
        switch value {
        case .null: try bindNull(index)
        case let .int(x): try bind(index, x)
        case let .double(x): try bind(index, x)
        case let .text(x): try bind(index, x)
        case let .blob(x): try bind(index, bytes: x)
        }
    }
}

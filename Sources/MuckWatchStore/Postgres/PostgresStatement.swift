import CPostgres

/// A prepared statement on a `PostgresConnection` with SQLite's cursor semantics: bind by
/// 1-based index (bindings kept across `reset`), `step()` runs it at the first call and
/// then walks the rows, `reset()` drops the rows.
///
/// Why the whole result at once: the store reads one statement while it runs others (a
/// case's violations, then each one's evidence), which libpq's row-by-row mode cannot
/// (the connection is busy until the last row); the store's queries are paged or small.
final class PostgresStatement {
    let connection: PostgresConnection
    private var prepared: PostgresPrepared
    private var values: PostgresValues
    private var result: OpaquePointer?
    private var row: Int32 = -1
    private var rows: Int32 = 0

    init(_ prepared: PostgresPrepared, on connection: PostgresConnection) {
        self.connection = connection
        self.prepared = prepared
        values = PostgresValues(count: Int(prepared.parameters.count))
    }

    deinit { PQclear(result) }

    var sql: String { prepared.sql }
    var columns: [String] { prepared.columns }

    /// The index of `:name` (SQLite's `bind_parameter_index`), 0 when the SQL has none.
    func parameterIndex(_ name: String) -> Int32 { prepared.parameters.names[name] ?? 0 }

    func bind(_ index: Int32, text: String?) throws(StoreError) {
        try slot(index)
        values.set(Int(index) - 1, text.map { Array($0.utf8) }, binary: false)
    }

    func bind(_ index: Int32, bytes: [UInt8]) throws(StoreError) {
        try slot(index)
        values.set(Int(index) - 1, bytes, binary: true)
    }

    private func slot(_ index: Int32) throws(StoreError) {
        guard index >= 1, index <= prepared.parameters.count else {
            throw PostgresFailure.statement(connection.location.display, state: "", message: "no parameter \(index)",
                                            doing: "binding parameter \(index)", sql: sql)
        }
    }

    func clearBindings() { values = PostgresValues(count: Int(prepared.parameters.count)) }

    /// Runs the statement at the first call, then advances: `true` when a row is available.
    func step() throws(StoreError) -> Bool {
        if result == nil {
            if prepared.generation != connection.generation { prepared = try connection.prepare(prepared.sql) }
            result = try connection.run(prepared, values)
            rows = PQntuples(result)
            row = -1
        }
        row += 1
        return row < rows
    }

    /// Sends the statement with its bindings without waiting (inside `PostgresConnection.pipeline`).
    func send() throws(StoreError) {
        guard prepared.generation == connection.generation else {
            throw PostgresFailure.statement(connection.location.display, state: "", message: "prepared before the store dropped its statements",
                                            doing: "sending a statement", sql: sql)
        }
        try connection.send(prepared, values)
    }

    func reset() {
        PQclear(result)
        result = nil
        row = -1
        rows = 0
    }

    func isNull(_ column: Int32) -> Bool { result == nil || row >= rows || PQgetisnull(result, row, column) == 1 }

    /// The column's text bytes as the server sent them (bytea as `\x` hex).
    private func raw(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
        guard !isNull(column), let p = PQgetvalue(result, row, column) else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeRawPointer(p).withMemoryRebound(to: UInt8.self, capacity: 1) {
            UnsafeBufferPointer(start: $0, count: Int(PQgetlength(result, row, column)))
        }
    }

    /// An integer column, a boolean (`t`/`f`, what EXISTS gives) as 1/0, a numeric (what
    /// `sum` of a bigint gives) truncated; 0 for NULL, as SQLite reads it.
    func int64(_ column: Int32) -> Int64 {
        let b = raw(column)
        guard let first = b.first else { return 0 }
        if first == UInt8(ascii: "t") { return 1 }
        if first == UInt8(ascii: "f") { return 0 }
        var n: Int64 = 0
        var negative = false
        for (k, c) in b.enumerated() {
            if k == 0, c == UInt8(ascii: "-") { negative = true; continue }
            guard c >= 48, c <= 57 else { return Int64(double(column)) }
            n = n &* 10 &+ Int64(c - 48)
        }
        return negative ? -n : n
    }

    func double(_ column: Int32) -> Double {
        let b = raw(column)
        return Double(String(decoding: b, as: UTF8.self)) ?? 0
    }

    func string(_ column: Int32) -> String? { isNull(column) ? nil : String(decoding: raw(column), as: UTF8.self) }

    func isBlob(_ column: Int32) -> Bool { result != nil && PQftype(result, column) == Self.byteaType }

    /// The bytes of a bytea column (decoded from hex), or a text column's UTF-8.
    func withBytes<R>(_ column: Int32, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        let b = raw(column)
        guard isBlob(column), b.count >= 2, b[0] == UInt8(ascii: "\\"), b[1] == UInt8(ascii: "x") else {
            return body(UnsafeRawBufferPointer(b))
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity((b.count - 2) / 2)
        var k = 2
        while k + 1 < b.count {
            bytes.append(Self.nibble(b[k]) << 4 | Self.nibble(b[k + 1]))
            k += 2
        }
        return bytes.withUnsafeBytes(body)
    }

    static let byteaType: Oid = 17

    private static func nibble(_ c: UInt8) -> UInt8 { c <= 57 ? c &- 48 : (c | 0x20) &- 87 }
}

/// The values bound to one statement: each parameter's bytes (nil for NULL) and whether
/// they go as binary (bytea) or text for the server to read in the parameter's type.
struct PostgresValues {
    private var bytes: [[UInt8]?]
    private var binary: [Bool]

    init(count: Int) {
        bytes = Array(repeating: nil, count: count)
        binary = Array(repeating: false, count: count)
    }

    mutating func set(_ k: Int, _ value: [UInt8]?, binary isBinary: Bool) {
        bytes[k] = value
        binary[k] = isBinary
    }

    /// libpq's three arrays (values, lengths, formats), valid only inside `body`.
    func withParameters<R>(_ body: (UnsafeBufferPointer<UnsafePointer<CChar>?>, UnsafeBufferPointer<Int32>,
                                    UnsafeBufferPointer<Int32>) -> R) -> R {
        var joined: [UInt8] = [0]
        var offsets: [Int] = []
        offsets.reserveCapacity(bytes.count)
        for value in bytes {
            offsets.append(joined.count)
            if let value { joined.append(contentsOf: value); joined.append(0) }
        }
        let lengths = bytes.map { Int32($0?.count ?? 0) }
        let formats = binary.map { $0 ? Int32(1) : 0 }
        return joined.withUnsafeBufferPointer { buf in
            let base = UnsafeRawPointer(buf.baseAddress!).assumingMemoryBound(to: CChar.self)
            let pointers = bytes.indices.map { bytes[$0] == nil ? nil : base + offsets[$0] }
            return pointers.withUnsafeBufferPointer { p in
                lengths.withUnsafeBufferPointer { l in formats.withUnsafeBufferPointer { f in body(p, l, f) } }
            }
        }
    }
}

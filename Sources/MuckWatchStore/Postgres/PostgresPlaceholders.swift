/// The store's SQL with SQLite's parameters (`?`, `?NNN`, `:name`) numbered as
/// PostgreSQL's `$n`, by SQLite's own rules, so both backends bind the same index to the
/// same parameter and `Parameters` resolves a `:name` to the same slot on either.
///
/// Why mechanical: placeholders are the one difference every statement has, and they are
/// lexical (outside quotes and comments); everything that differs in meaning is written
/// per dialect in `SQLDialect`. SQLite's rules: `?` takes the largest index so far plus
/// one, `?N` is index N, a `:name` seen before reuses its index, a new one takes the
/// largest so far plus one. PostgreSQL's own `::type` casts pass through untouched.
struct PostgresPlaceholders: Equatable {
    /// The SQL with `$1`, `$2`, …
    let sql: String
    /// The index of each `:name` (with its colon, as SQLite's `bind_parameter_index` takes it).
    let names: [String: Int32]
    /// The largest index used: how many values the statement takes.
    let count: Int32

    init(translating source: String) {
        let bytes = Array(source.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 16)
        var names: [String: Int32] = [:]
        var count: Int32 = 0
        var i = 0
        func isWord(_ b: UInt8) -> Bool {
            (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 95
        }
        func emit(_ n: Int32) { out.append(36); out.append(contentsOf: Array(String(n).utf8)) }
        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case 39, 34:  // '…' literal or "…" identifier: copied whole ('' and "" escape themselves)
                var j = i + 1
                while j < bytes.count, bytes[j] != b { j += 1 }
                out.append(contentsOf: bytes[i..<min(j + 1, bytes.count)])
                i = j + 1
            case 45 where i + 1 < bytes.count && bytes[i + 1] == 45:  // -- comment to the line's end
                var j = i
                while j < bytes.count, bytes[j] != 10 { j += 1 }
                out.append(contentsOf: bytes[i..<j])
                i = j
            case 63:  // ? or ?NNN
                var j = i + 1
                while j < bytes.count, bytes[j] >= 48, bytes[j] <= 57 { j += 1 }
                let n = j > i + 1 ? Int32(String(decoding: bytes[(i + 1)..<j], as: UTF8.self)) ?? 0 : count + 1
                count = max(count, n)
                emit(n)
                i = j
            case 58 where i + 1 < bytes.count && bytes[i + 1] == 58:  // ::cast
                out.append(contentsOf: [58, 58])
                i += 2
            case 58 where i + 1 < bytes.count && isWord(bytes[i + 1]) && !(bytes[i + 1] >= 48 && bytes[i + 1] <= 57):
                var j = i + 1
                while j < bytes.count, isWord(bytes[j]) { j += 1 }
                let name = String(decoding: bytes[i..<j], as: UTF8.self)
                let n: Int32
                if let known = names[name] { n = known } else { count += 1; n = count; names[name] = n }
                emit(n)
                i = j
            default:
                out.append(b)
                i += 1
            }
        }
        sql = String(decoding: out, as: UTF8.self)
        self.names = names
        self.count = count
    }
}

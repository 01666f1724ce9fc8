/// Builds JSON text directly, keys in the order the contract shows them, so outputs are
/// byte-identical across runs and readable by people as well as scripts.
struct JSONWriter {
    private(set) var text = ""
    private var needsComma: [Bool] = [false]

    mutating func beginObject() { value("{"); needsComma.append(false) }
    mutating func endObject() { needsComma.removeLast(); text += "}" }
    mutating func beginArray() { value("["); needsComma.append(false) }
    mutating func endArray() { needsComma.removeLast(); text += "]" }

    mutating func key(_ k: String) {
        separate()
        text += JSONWriter.quoted(k) + ":"
        needsComma[needsComma.count - 1] = false
    }

    mutating func string(_ s: String?) { value(s.map(JSONWriter.quoted) ?? "null") }
    mutating func int(_ v: Int) { value(String(v)) }
    mutating func null() { value("null") }

    /// A finite number rounded to `decimals`, or `null`.
    mutating func number(_ v: Double?, decimals: Int = 6) {
        guard let v, v.isFinite else { return value("null") }
        var p = 1.0
        for _ in 0..<decimals { p *= 10 }
        let r = (v * p).rounded() / p
        if r == r.rounded(), abs(r) < 1e15 { return value(String(Int64(r))) }
        value(String(r))
    }

    mutating func field(_ k: String, _ s: String?) { key(k); string(s) }
    mutating func field(_ k: String, _ v: Double?, decimals: Int = 6) { key(k); number(v, decimals: decimals) }
    mutating func field(_ k: String, _ v: Int) { key(k); int(v) }

    mutating func newline() { text += "\n" }

    private mutating func separate() {
        if needsComma[needsComma.count - 1] { text += "," }
        needsComma[needsComma.count - 1] = true
    }

    private mutating func value(_ raw: String) {
        separate()
        text += raw
    }

    static func quoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}

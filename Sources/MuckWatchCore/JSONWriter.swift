/// Builds JSON text directly into bytes, keys in the order the caller writes them.
///
/// Why not `JSONEncoder`/`JSONSerialization`: the contract fixes key order and number
/// precision (coordinates to 6 decimals, km to 3, tonnes to 2), and users diff outputs
/// between runs; Foundation neither keeps insertion order nor rounds, and boxes every value.
/// Strings are escaped per RFC 8259 (quote, backslash, all C0 controls, plus U+2028/U+2029
/// for JavaScript consumers and U+FEFF, which some parsers drop); other non-ASCII text stays UTF-8.
///
/// With `linePerTopLevelElement`, each element of the outermost array goes on its own line:
/// still one valid JSON document, but greppable and diffable.
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    /// One entry per open container: has it received an element yet?
    private var hasElement: [Bool] = []
    private var afterKey = false
    public let linePerTopLevelElement: Bool

    public init(reservingCapacity: Int = 0, linePerTopLevelElement: Bool = false) {
        bytes.reserveCapacity(reservingCapacity)
        self.linePerTopLevelElement = linePerTopLevelElement
    }

    /// The text so far (valid JSON once every container is closed).
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Nesting depth of open containers.
    public var depth: Int { hasElement.count }

    // MARK: containers

    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        hasElement.append(false)
    }

    public mutating func endObject() {
        precondition(!afterKey, "JSONWriter: key without a value")
        hasElement.removeLast()
        bytes.append(UInt8(ascii: "}"))
    }

    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        hasElement.append(false)
    }

    public mutating func endArray() {
        let hadElements = hasElement.removeLast()
        if linePerTopLevelElement, hasElement.isEmpty, hadElements { bytes.append(0x0A) }
        bytes.append(UInt8(ascii: "]"))
    }

    /// Writes `"key":`; the next value call supplies its value.
    public mutating func key(_ k: String) {
        precondition(!afterKey, "JSONWriter: two keys in a row")
        separate()
        appendQuoted(k)
        bytes.append(UInt8(ascii: ":"))
        afterKey = true
    }

    // MARK: values

    /// A string, or `null` for `nil`.
    public mutating func string(_ s: String?) {
        separate()
        if let s { appendQuoted(s) } else { appendASCII("null") }
    }

    /// A finite number printed shortest round-trip, optionally rounded to `decimals` places first;
    /// `nil`, NaN and infinities (which JSON cannot hold) become `null`.
    public mutating func number(_ d: Double?, decimals: Int? = nil) {
        separate()
        appendASCII(JSONWriter.format(d, decimals: decimals))
    }

    public mutating func integer(_ i: Int64) {
        separate()
        appendASCII(String(i))
    }

    public mutating func integer(_ i: Int) { integer(Int64(i)) }

    public mutating func bool(_ b: Bool) {
        separate()
        appendASCII(b ? "true" : "false")
    }

    public mutating func null() {
        separate()
        appendASCII("null")
    }

    /// A value that is already JSON text (a stored GeoJSON geometry), written as it is.
    public mutating func raw(_ json: String) {
        separate()
        bytes.append(contentsOf: json.utf8)
    }

    // MARK: key/value shorthands

    public mutating func field(_ k: String, _ s: String?) { key(k); string(s) }
    public mutating func field(_ k: String, number d: Double?, decimals: Int? = nil) { key(k); number(d, decimals: decimals) }
    public mutating func field(_ k: String, integer i: Int) { key(k); integer(i) }
    public mutating func field(_ k: String, strings: [String]) {
        key(k)
        beginArray()
        for s in strings { string(s) }
        endArray()
    }

    // MARK: formatting

    private static let powersOfTen: [Double] = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
                                                 1e13, 1e14, 1e15]

    /// The JSON text of a number: `null` unless finite; rounded half away from zero to `decimals`
    /// places when asked (values too large to round exactly are left alone); `-0` printed as `0.0`.
    public static func format(_ d: Double?, decimals: Int? = nil) -> String {
        guard var v = d, v.isFinite else { return "null" }
        if let decimals, decimals >= 0, decimals < powersOfTen.count {
            let p = powersOfTen[decimals]
            let scaled = v * p
            // Integer / power of ten is correctly rounded, so the result prints as the short decimal.
            if abs(scaled) < 9_007_199_254_740_992 { v = scaled.rounded() / p }
        }
        if v == 0 { v = 0 }  // drop the sign of -0.0
        return v.description
    }

    private mutating func separate() {
        if afterKey {
            afterKey = false
            return
        }
        guard let last = hasElement.indices.last else { return }
        if hasElement[last] { bytes.append(UInt8(ascii: ",")) }
        hasElement[last] = true
        if linePerTopLevelElement, last == 0 { bytes.append(0x0A) }
    }

    /// Appends one raw byte outside the JSON grammar (a trailing newline after the document).
    mutating func appendRaw(_ b: UInt8) { bytes.append(b) }

    private mutating func appendASCII(_ s: String) {
        bytes.append(contentsOf: s.utf8)
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    private mutating func appendQuoted(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        var s = s
        s.withByteSpan { u in
            var runStart = 0
            var i = 0
            let n = u.count
            while i < n {
                let c = u[i]
                var escape: (UInt8, UInt8)?  // (escape letter, 0) or ("u", code) for \u00XX
                var skip = 1
                switch c {
                case 0x22: escape = (0x22, 0)
                case 0x5C: escape = (0x5C, 0)
                case 0x0A: escape = (UInt8(ascii: "n"), 0)
                case 0x0D: escape = (UInt8(ascii: "r"), 0)
                case 0x09: escape = (UInt8(ascii: "t"), 0)
                case 0x08: escape = (UInt8(ascii: "b"), 0)
                case 0x0C: escape = (UInt8(ascii: "f"), 0)
                case 0x00..<0x20: escape = (UInt8(ascii: "u"), c)
                case 0xE2 where i + 2 < n && u[i + 1] == 0x80 && (u[i + 2] == 0xA8 || u[i + 2] == 0xA9):
                    escape = (UInt8(ascii: "U"), u[i + 2])  // U+2028 / U+2029
                    skip = 3
                case 0xEF where i + 2 < n && u[i + 1] == 0xBB && u[i + 2] == 0xBF:
                    escape = (UInt8(ascii: "U"), 0xBF)  // U+FEFF, which some parsers silently drop
                    skip = 3
                default: break
                }
                guard let (letter, code) = escape else { i += 1; continue }
                if runStart < i { bytes.append(contentsOf: u.extracting(runStart..<i)) }
                bytes.append(0x5C)
                switch letter {
                case UInt8(ascii: "u"):
                    bytes.append(contentsOf: [UInt8(ascii: "u"), 0x30, 0x30, JSONWriter.hex[Int(code >> 4)],
                                              JSONWriter.hex[Int(code & 0xF)]])
                case UInt8(ascii: "U"):
                    switch code {
                    case 0xA8: bytes.append(contentsOf: "u2028".utf8)
                    case 0xA9: bytes.append(contentsOf: "u2029".utf8)
                    default: bytes.append(contentsOf: "ufeff".utf8)
                    }
                default:
                    bytes.append(letter)
                }
                i += skip
                runStart = i
            }
            if runStart < n { bytes.append(contentsOf: u.extracting(runStart..<n)) }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

/// A warning of `summary.json` that names plates. A partition of a night (`--partition K/N`)
/// knows only its own plates, so each partition names its share; the store's merged summary
/// (`Summary.merged`) joins the shares back into the one line an unpartitioned run writes.
/// The line is made and read back here only, so the two cannot drift apart.
public struct PlateListWarning: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// Camera reads of plates with neither GPS nor a registry entry (not judged).
        case cameraPlates
        /// Manifests of vehicles the registry lacks.
        case manifestPlates
        /// A permit's vehicles with neither GPS nor a registry entry.
        case permitVehicles(permitID: String)
    }

    public var kind: Kind
    /// How many plates, all of them; `plates` may list only the first `shown`.
    public var count: Int
    /// Sorted, distinct.
    public var plates: [String]

    /// Plates a line lists at most (a permit's vehicles are listed whole).
    static let shown = 10

    public init(_ kind: Kind, plates: some Sequence<String>) {
        self.kind = kind
        self.plates = Set(plates).sorted()
        count = self.plates.count
    }

    public var text: String {
        switch kind {
        case .cameraPlates:
            "\(count) camera plate(s) with no GPS and no registry entry, not judged: " + listed
        case .manifestPlates:
            "manifests name \(count) vehicle(s) not in the vehicle registry (add them to --vehicles or correct the plate): "
                + listed
        case .permitVehicles(let id):
            "permit \(id): vehicles \(plates.joined(separator: ", ")) have neither GPS nor a registry entry"
        }
    }

    private var listed: String { plates.prefix(Self.shown).joined(separator: ", ") }

    /// The warning a line of `text` is, or `nil` for any other warning.
    public init?(parsing line: String) {
        func split(_ s: Substring) -> [String] { s.split(separator: ", ").map(String.init) }
        if let (n, rest) = Self.leadingCount(line[...]),
           let list = rest.strip(prefix: " camera plate(s) with no GPS and no registry entry, not judged: ") {
            self.init(kind: .cameraPlates, count: n, plates: split(list))
        } else if let afterName = line[...].strip(prefix: "manifests name "), let (n, rest) = Self.leadingCount(afterName),
                  let list = rest.strip(prefix: " vehicle(s) not in the vehicle registry (add them to --vehicles or correct the plate): ") {
            self.init(kind: .manifestPlates, count: n, plates: split(list))
        } else if let afterPermit = line[...].strip(prefix: "permit "),
                  let colon = afterPermit.firstRange(of: ": vehicles "),
                  let list = afterPermit[colon.upperBound...].strip(suffix: " have neither GPS nor a registry entry") {
            let plates = split(list)
            self.init(kind: .permitVehicles(permitID: String(afterPermit[..<colon.lowerBound])), count: plates.count,
                      plates: plates)
        } else {
            return nil
        }
    }

    private init(kind: Kind, count: Int, plates: [String]) {
        self.kind = kind
        self.count = count
        self.plates = plates
    }

    /// The same warning from the shares of several partitions: counts added (each plate
    /// belongs to one partition), plates joined.
    public func adding(_ other: PlateListWarning) -> PlateListWarning {
        PlateListWarning(kind: kind, count: count + other.count, plates: Set(plates + other.plates).sorted())
    }

    private static func leadingCount(_ s: Substring) -> (Int, Substring)? {
        let digits = s.prefix { $0.isASCII && $0.isNumber }
        guard let n = Int(digits) else { return nil }
        return (n, s[digits.endIndex...])
    }
}

extension Substring {
    fileprivate func strip(prefix p: String) -> Substring? { hasPrefix(p) ? dropFirst(p.count) : nil }
    fileprivate func strip(suffix s: String) -> Substring? { hasSuffix(s) ? dropLast(s.count) : nil }
}

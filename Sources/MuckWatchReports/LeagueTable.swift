public import MuckWatchCore
public import MuckWatchStore

/// A league table of transport companies, vehicles or drivers (issue #21), ranked by a score.
///
/// The score (docs/reports.md) is the weighted violations per 100 trips:
/// `score = 100 × Σ weight(type) × violations(type) / max(trips, 1)`, where the weight is 3 for
/// the violations that put waste where it must not be or hide who carried it (illegal dump,
/// unapproved disposal, plate mismatch, no permit) and 1 for every other type. Higher is worse;
/// rank 1 is the worst. Ties rank by more open cases, then by name. Dividing by trips compares
/// a fleet of 200 trucks with one of 5; `max(trips, 1)` keeps a vehicle with violations but no
/// completed trip in the table instead of dividing by zero.
public struct LeagueTable: Sendable, Equatable, Encodable {
    public struct Row: Sendable, Equatable, Encodable {
        public var rank: Int
        public var name: String
        public var trips: Int
        public var violations: [ViolationType: Int]
        public var openCases: Int
        public var score: Double
        public var totalViolations: Int { violations.values.reduce(0, +) }
        /// Violations of `type` per 100 trips (over `max(trips, 1)`).
        public func per100Trips(_ type: ViolationType) -> Double {
            100 * Double(violations[type] ?? 0) / Double(max(trips, 1))
        }
    }

    /// How a table can be sorted (the review app's `sort` parameter); `rank` is the score's order.
    public enum Sort: String, Sendable, CaseIterable {
        case rank, name, trips, violations, open, score
    }

    public var dimension: LeagueDimension
    /// In rank order unless `sorted(by:descending:)` said otherwise.
    public var rows: [Row]
    /// The violation types that occur in the table, in `ViolationType` order: its columns.
    public var types: [ViolationType]

    public static let severe: Set<ViolationType> = [.illegalDump, .unapprovedDisposal, .plateMismatch, .noPermit]

    public static func weight(_ type: ViolationType) -> Double { severe.contains(type) ? 3 : 1 }

    public static func score(_ c: LeagueCounts) -> Double {
        let weighted = c.violations.reduce(0.0) { $0 + weight($1.key) * Double($1.value) }
        return 100 * weighted / Double(max(c.trips, 1))
    }

    public static func load(_ store: CaseStore, _ dimension: LeagueDimension, from: LocalDate? = nil,
                            to: LocalDate? = nil) throws(StoreError) -> LeagueTable {
        LeagueTable(dimension: dimension, counts: try store.leagueCounts(dimension, from: from, to: to))
    }

    public init(dimension: LeagueDimension, counts: [LeagueCounts]) {
        self.dimension = dimension
        let scored = counts.map { ($0, Self.score($0)) }.sorted { a, b in
            if a.1 != b.1 { return a.1 > b.1 }
            if a.0.openCases != b.0.openCases { return a.0.openCases > b.0.openCases }
            return a.0.name < b.0.name
        }
        rows = scored.enumerated().map { i, x in
            Row(rank: i + 1, name: x.0.name, trips: x.0.trips, violations: x.0.violations, openCases: x.0.openCases,
                score: x.1)
        }
        types = Set(counts.flatMap(\.violations.keys)).sorted()
    }

    /// The same rows in another order; ties keep the rank order.
    public func sorted(by sort: Sort, descending: Bool) -> LeagueTable {
        var t = self
        func key(_ r: Row) -> (Double, String) {
            switch sort {
            case .rank: (Double(r.rank), "")
            case .name: (0, r.name)
            case .trips: (Double(r.trips), "")
            case .violations: (Double(r.totalViolations), "")
            case .open: (Double(r.openCases), "")
            case .score: (r.score, "")
            }
        }
        t.rows = rows.enumerated().sorted { a, b in
            let ka = key(a.element), kb = key(b.element)
            if ka == kb { return a.offset < b.offset }
            return descending ? ka > kb : ka < kb
        }.map(\.element)
        return t
    }
}

/// JSON for the API (issue #20): violation types by their contract names.
extension LeagueTable {
    enum CodingKeys: String, CodingKey { case dimension, rows, types }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(dimension.rawValue, forKey: .dimension)
        try c.encode(rows, forKey: .rows)
        try c.encode(types.map(\.rawValue), forKey: .types)
    }
}

extension LeagueTable.Row {
    enum CodingKeys: String, CodingKey {
        case rank, name, trips, violations, totalViolations, violationsPer100Trips, openCases, score
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(rank, forKey: .rank)
        try c.encode(name, forKey: .name)
        try c.encode(trips, forKey: .trips)
        try c.encode(Dictionary(uniqueKeysWithValues: violations.map { ($0.key.rawValue, $0.value) }), forKey: .violations)
        try c.encode(totalViolations, forKey: .totalViolations)
        try c.encode(Dictionary(uniqueKeysWithValues: violations.keys.map { ($0.rawValue, per100Trips($0)) }),
                     forKey: .violationsPer100Trips)
        try c.encode(openCases, forKey: .openCases)
        try c.encode(score, forKey: .score)
    }
}

import MuckWatchCore

/// Judged changes not yet in the store: cases by id, closed trips, and ids of cases to
/// mark superseded. Values, so an analysis shard can hand them to the one store writer.
public struct LiveWrites: Sendable {
    public var cases: [String: Case] = [:]
    public var trips: [Trip] = []
    public var retracting: Set<String> = []

    public init() {}

    public var isEmpty: Bool { cases.isEmpty && trips.isEmpty && retracting.isEmpty }

    /// Records a case's new content (it is no longer retracted).
    mutating func upsert(_ c: Case) {
        cases[c.id] = c
        retracting.remove(c.id)
    }

    /// Records that a case this session wrote is no longer produced.
    mutating func retract(_ id: String) {
        cases[id] = nil
        retracting.insert(id)
    }

    /// Adds later writes on top of these (later content wins, as if written after).
    public mutating func merge(_ later: LiveWrites) {
        guard !later.isEmpty else { return }
        if isEmpty {
            self = later
            return
        }
        for c in later.cases.values { upsert(c) }
        for id in later.retracting { retract(id) }
        trips += later.trips
    }
}

/// The manifests and gate records of a run, grouped by vehicle (contract section 12), so
/// each vehicle's judge reads its own in time order without scanning a city's.
///
/// A gate event belongs to the vehicle of its plate read, else of its tag's registered
/// plate; an event whose tag nobody registered and that has no plate belongs to no one
/// (`unowned`), and is only counted.
public struct ChainRecords: Sendable {
    /// Every manifest, grouped by vehicle, each vehicle's by `opened_at` then id.
    public private(set) var manifests: [Manifest] = []
    /// Every owned gate event, grouped by vehicle, each vehicle's by time then id.
    public private(set) var gateEvents: [GateEvent] = []
    /// The vehicle each of `gateEvents` belongs to.
    public private(set) var gateOwners: [String] = []
    private var manifestRanges: [String: Range<Int>] = [:]
    private var gateRanges: [String: Range<Int>] = [:]
    /// Gate events scanned with each manifest (indexes into `gateEvents`).
    private var gatesByManifest: [String: [Int]] = [:]
    private var gateIndex: [String: Int] = [:]
    /// Gate events with neither a plate read nor a registered tag.
    public private(set) var unowned = 0
    /// Whether each input was given at all: a rule needing one applies only when it was.
    public private(set) var hasManifests = false
    public private(set) var hasGateEvents = false

    public init() {}

    /// - Parameter tagOwners: the registry's tags → plates.
    public init(manifests: [Manifest]?, gateEvents: [GateEvent]?, tagOwners: [String: String]) {
        hasManifests = manifests != nil
        hasGateEvents = gateEvents != nil
        // Orders are sorted as indexes, then each record is copied once: a record holds a
        // dozen strings, and sorting the records themselves moved them around ~17 times each.
        let ms = manifests ?? []
        let mOrder = ms.indices.sorted { (ms[$0].vehicleID, ms[$0].openedAt, ms[$0].id) < (ms[$1].vehicleID, ms[$1].openedAt, ms[$1].id) }
        self.manifests = mOrder.map { ms[$0] }
        manifestRanges = Self.ranges(self.manifests.map(\.vehicleID))
        let gs = gateEvents ?? []
        var owner: [String?] = gs.map { $0.vehicle(tagOwners: tagOwners) }
        let gOrder = gs.indices.filter { owner[$0] != nil }
            .sorted { (owner[$0]!, gs[$0].time, gs[$0].id) < (owner[$1]!, gs[$1].time, gs[$1].id) }
        unowned = gs.count - gOrder.count
        self.gateEvents = gOrder.map { gs[$0] }
        gateOwners = gOrder.map { owner[$0]! }
        owner = []
        gateRanges = Self.ranges(gateOwners)
        for (i, e) in self.gateEvents.enumerated() {
            if let m = e.manifestID { gatesByManifest[m, default: []].append(i) }
            gateIndex[e.id] = i
        }
    }

    /// True when neither input was given (a v1 run).
    public var isEmpty: Bool { !hasManifests && !hasGateEvents }

    /// Plates with a manifest or an owned gate event.
    public var plates: Set<String> { Set(manifestRanges.keys).union(gateRanges.keys) }

    public func manifests(plate: String) -> ArraySlice<Manifest> { manifests[manifestRanges[plate] ?? 0..<0] }
    public func gateEvents(plate: String) -> ArraySlice<GateEvent> { gateEvents[gateRanges[plate] ?? 0..<0] }

    /// A gate event by id, with the vehicle it belongs to.
    public func gateEvent(id: String) -> (vehicle: String, event: GateEvent)? {
        guard let i = gateIndex[id] else { return nil }
        return (gateOwners[i], gateEvents[i])
    }

    /// The gate events a manifest was scanned at, in time order.
    public func gateEvents(manifest id: String) -> [GateEvent] { (gatesByManifest[id] ?? []).map { gateEvents[$0] } }

    private static func ranges(_ keys: [String]) -> [String: Range<Int>] {
        var out: [String: Range<Int>] = [:]
        var start = 0
        for i in keys.indices where i + 1 == keys.count || keys[i + 1] != keys[i] {
            out[keys[i]] = start..<(i + 1)
            start = i + 1
        }
        return out
    }
}

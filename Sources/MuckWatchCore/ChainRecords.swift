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
    /// The registered owner of each of `gateEvents`' tags: `nil` when no tag was read or
    /// nobody registered it. Looked up once here, while the records lie in file order (their
    /// strings where they were allocated), not by the rules, which read them by vehicle and
    /// paid a cache miss per tag (issue #19).
    public private(set) var gateTagOwners: [String?] = []
    private var manifestRanges: [String: Range<Int>] = [:]
    private var gateRanges: [String: Range<Int>] = [:]
    /// The gate events scanned with each manifest, as indexes into `gateEvents`: those of
    /// `manifests[k]` are `manifestGates[manifestGateStarts[k]..<manifestGateStarts[k + 1]]`.
    private var manifestGates: [Int] = []
    private var manifestGateStarts: [Int] = [0]
    private var gateIndex: [String: Int] = [:]
    /// Gate events with neither a plate read nor a registered tag.
    public private(set) var unowned = 0
    /// Whether each input was given at all: a rule needing one applies only when it was.
    public private(set) var hasManifests = false
    public private(set) var hasGateEvents = false

    public init() {}

    /// - Parameter tagOwners: the registry's tags → plates.
    public init(manifests: consuming [Manifest]?, gateEvents: consuming [GateEvent]?, tagOwners: [String: String]) {
        hasManifests = manifests != nil
        hasGateEvents = gateEvents != nil
        // Orders are sorted as indexes, then the records are moved into them in place
        // (`reorder`): a record holds six or seven strings, and sorting the records
        // themselves moved them around ~17 times each, copying them once retained each string.
        // Plates are compared as ranks: a non-ASCII plate's comparison is Unicode-aware,
        // and a city night sorts a hundred thousand records (issue #19).
        var ms = (consume manifests) ?? []
        let mRank = PlateRanks(ms.lazy.map(\.vehicleID))
        let mOrder = ms.indices.sorted { a, b in
            if mRank.ranks[a] != mRank.ranks[b] { return mRank.ranks[a] < mRank.ranks[b] }
            if ms[a].openedAt != ms[b].openedAt { return ms[a].openedAt < ms[b].openedAt }
            return ms[a].id < ms[b].id
        }
        ms.reorder(by: mOrder)
        self.manifests = consume ms
        manifestRanges = mRank.ranges(in: mOrder)
        var gs = (consume gateEvents) ?? []
        // Read field by field: binding a whole pass copies (retains) its strings.
        var tagOwner = gs.indices.map { gs[$0].rfid.flatMap { tagOwners[$0] } }
        var owner = gs.indices.map { gs[$0].vehicle(tagOwner: tagOwner[$0]) }
        unowned = owner.reduce(0) { $1 == nil ? $0 + 1 : $0 }
        let isOwned = owner.map { $0 != nil }
        gs.keepIndices { isOwned[$0] }
        tagOwner.keepIndices { isOwned[$0] }
        owner.keepIndices { isOwned[$0] }
        let gRank = PlateRanks(owner.lazy.map { $0! })
        let gOrder = gs.indices.sorted { a, b in
            if gRank.ranks[a] != gRank.ranks[b] { return gRank.ranks[a] < gRank.ranks[b] }
            if gs[a].time != gs[b].time { return gs[a].time < gs[b].time }
            return gs[a].id < gs[b].id
        }
        gs.reorder(by: gOrder)
        tagOwner.reorder(by: gOrder)
        owner.reorder(by: gOrder)
        self.gateEvents = consume gs
        gateOwners = owner.map { $0! }
        gateTagOwners = consume tagOwner
        gateRanges = gRank.ranges(in: gOrder)
        gateIndex.reserveCapacity(self.gateEvents.count)
        for i in self.gateEvents.indices { gateIndex[self.gateEvents[i].id] = i }
        (manifestGates, manifestGateStarts) = Self.gatesByManifest(self.manifests, manifestRanges, self.gateEvents, gateRanges)
    }

    /// True when neither input was given (a v1 run).
    public var isEmpty: Bool { !hasManifests && !hasGateEvents }

    /// Plates with a manifest or an owned gate event.
    public var plates: Set<String> { Set(manifestRanges.keys).union(gateRanges.keys) }

    public func manifests(plate: String) -> ArraySlice<Manifest> { manifests[manifestRanges[plate] ?? 0..<0] }
    public func gateEvents(plate: String) -> ArraySlice<GateEvent> { gateEvents[gateRanges[plate] ?? 0..<0] }
    /// The owners of the tags of `gateEvents(plate:)`, at the same indexes.
    public func gateTagOwners(plate: String) -> ArraySlice<String?> { gateTagOwners[gateRanges[plate] ?? 0..<0] }

    /// A gate event by id, with the vehicle it belongs to.
    public func gateEvent(id: String) -> (vehicle: String, event: GateEvent)? {
        guard let i = gateIndex[id] else { return nil }
        return (gateOwners[i], gateEvents[i])
    }

    /// The gate events `manifests[k]` was scanned at, in time order, as indexes into
    /// `gateEvents`: read in place by the manifest's position, not looked up by its id (a
    /// city night's rules asked for ~60,000 manifests' events three times each, and ids
    /// that share their first 12 bytes made each lookup a few `memcmp`s).
    public func gateEventIndices(manifestAt k: Int) -> ArraySlice<Int> {
        manifestGates[manifestGateStarts[k]..<manifestGateStarts[k + 1]]
    }

    /// Each manifest's gate events in one array, grouped by manifest (a counting sort,
    /// stable: a manifest's events stay in `gateEvents`' order); an event naming a manifest
    /// the run does not have is nobody's.
    ///
    /// An event's manifest is looked for among its own vehicle's first (a few, by id), and
    /// among all the run's only when not there (a pass read under another plate): a table of
    /// every manifest by id cost a city night ~60 ms of hashing 62,714 ids and looking up
    /// 128,116 (issue #19). Manifest ids are unique in a run (a reader refuses a later
    /// duplicate, the store's inbox adds only ids the files lack), so either finds the same one.
    private static func gatesByManifest(_ manifests: [Manifest], _ manifestRanges: [String: Range<Int>],
                                        _ events: [GateEvent], _ eventRanges: [String: Range<Int>])
        -> (gates: [Int], starts: [Int]) {
        var everyManifest: [String: Int]?
        var owner = [Int?](repeating: nil, count: events.count)
        for (plate, range) in eventRanges {
            let own = manifestRanges[plate] ?? 0..<0
            for i in range {
                guard let id = events[i].manifestID else { continue }
                if let k = own.first(where: { manifests[$0].id == id }) {
                    owner[i] = k
                    continue
                }
                if everyManifest == nil {
                    var position: [String: Int] = [:]
                    position.reserveCapacity(manifests.count)
                    for k in manifests.indices where position[manifests[k].id] == nil { position[manifests[k].id] = k }
                    everyManifest = position
                }
                owner[i] = everyManifest?[id]
            }
        }
        var starts = [Int](repeating: 0, count: manifests.count + 1)
        for case let k? in owner { starts[k + 1] += 1 }
        for k in manifests.indices { starts[k + 1] += starts[k] }
        var next = starts
        var gates = [Int](repeating: 0, count: starts[manifests.count])
        for (i, k) in owner.enumerated() {
            guard let k else { continue }
            gates[next[k]] = i
            next[k] += 1
        }
        return (gates, starts)
    }
}

/// Each record's plate as its rank among the distinct plates in `String` order: sorting by
/// rank is sorting by plate, with one Unicode-aware comparison per pair of distinct plates
/// instead of per pair of records.
struct PlateRanks {
    /// The rank of each record's plate, in the records' order.
    let ranks: [Int32]
    /// The distinct plates, by rank.
    let plates: [String]

    init(_ keys: some Collection<String>) {
        // One hash per record: each plate numbered as first seen (the first spelling kept,
        // as a `Set` keeps it), then the few distinct plates sorted and renumbered.
        var seen: [String: Int32] = [:]
        var distinct: [String] = []
        var firstSeen: [Int32] = []
        firstSeen.reserveCapacity(keys.count)
        for key in keys {
            let next = Int32(distinct.count)
            let number = seen[key, default: next]
            if number == next {
                seen[key] = next
                distinct.append(key)
            }
            firstSeen.append(number)
        }
        let order = distinct.indices.sorted { distinct[$0] < distinct[$1] }
        var rank = [Int32](repeating: 0, count: distinct.count)
        for (r, k) in order.enumerated() { rank[k] = Int32(r) }
        plates = order.map { distinct[$0] }
        ranks = firstSeen.map { rank[Int($0)] }
    }

    /// Each plate's run of positions in `order` (record indexes sorted by rank first).
    func ranges(in order: [Int]) -> [String: Range<Int>] {
        var out: [String: Range<Int>] = [:]
        out.reserveCapacity(plates.count)
        var start = 0
        for i in order.indices where i + 1 == order.count || ranks[order[i + 1]] != ranks[order[i]] {
            out[plates[Int(ranks[order[i]])]] = start..<(i + 1)
            start = i + 1
        }
        return out
    }
}

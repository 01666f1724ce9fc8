/// One load's electronic manifest (电子联单, contract section 12): opened when the source
/// site's gate lets the loaded truck out, closed when a disposal site confirms receipt.
/// The platform's own record of where a load went, so MuckWatch reconciles it against the
/// truck's GPS and the gates' weighbridges.
public struct Manifest: Sendable, Equatable {
    public var id: String
    public var permitID: String?
    public var vehicleID: String
    public var driverID: String?
    public var sourceSite: String
    /// Where the load was planned to go.
    public var disposalSite: String
    public var wasteType: WasteType
    public var declaredT: Double
    public var openedAt: Int64
    /// `nil` while the manifest is open.
    public var closedAt: Int64?
    /// The disposal site that confirmed receipt (may differ from `disposalSite`).
    public var closedSite: String?
    public var receivedT: Double?

    public init(id: String, permitID: String? = nil, vehicleID: String, driverID: String? = nil, sourceSite: String,
                disposalSite: String, wasteType: WasteType, declaredT: Double, openedAt: Int64,
                closedAt: Int64? = nil, closedSite: String? = nil, receivedT: Double? = nil) {
        self.id = id
        self.permitID = permitID
        self.vehicleID = vehicleID
        self.driverID = driverID
        self.sourceSite = sourceSite
        self.disposalSite = disposalSite
        self.wasteType = wasteType
        self.declaredT = declaredT
        self.openedAt = openedAt
        self.closedAt = closedAt
        self.closedSite = closedSite
        self.receivedT = receivedT
    }

    /// Closed: a disposal site confirmed receipt.
    public var isClosed: Bool { closedAt != nil }

    /// When the manifest passes its closing limit (`opened_at` + `limit`) still open, or
    /// `nil` when it was closed by then.
    public func overdue(limit: Int64) -> Int64? {
        let due = openedAt + limit
        return (closedAt ?? .max) > due ? due : nil
    }
}

/// What a load is (contract section 12); the statistics count tonnes by it.
public enum WasteType: String, Sendable, CaseIterable, Hashable, Comparable {
    /// 工程渣土
    case excavatedSoil = "excavated_soil"
    /// 工程泥浆
    case engineeringMud = "engineering_mud"
    /// 拆除垃圾
    case demolition
    /// 装修垃圾
    case decoration
    case other

    public static func < (a: WasteType, b: WasteType) -> Bool { a.rawValue < b.rawValue }
}

/// What a disposal site does with what it receives (contract section 12, a disposal
/// fence's `facility`); the recycling rate counts recycling and sorting.
public enum Facility: String, Sendable, CaseIterable, Hashable {
    /// 填埋 (the default)
    case landfill
    /// 资源化利用
    case recycling
    /// 分选
    case sorting
    /// 回填
    case backfill
}

/// Where a manifest stands after judging, as the review app's manifests view lists it.
public enum ManifestState: String, Sendable, CaseIterable {
    /// Open, within its closing limit (or the data has not reached it).
    case open
    /// Closed, nothing wrong found.
    case closed
    /// Still open past `manifest_close_max_s` (a `manifest_unclosed`).
    case unclosed
    /// Closed where the load did not go, while the truck was away, or with the weight off
    /// (a `manifest_mismatch` or `weight_discrepancy` cites it).
    case mismatched
}

/// A manifest with what judging made of it: its state, the trip it matched and the case
/// that cites it. The store keeps one per manifest.
public struct ManifestEntry: Sendable, Equatable {
    public var manifest: Manifest
    public var state: ManifestState
    /// `loaded_at` of the matched trip (with the vehicle, the trip's key).
    public var tripLoadedAt: Int64?
    /// The case citing this manifest, else the matched trip's case.
    public var caseID: String?

    public init(manifest: Manifest, state: ManifestState, tripLoadedAt: Int64? = nil, caseID: String? = nil) {
        self.manifest = manifest
        self.state = state
        self.tripLoadedAt = tripLoadedAt
        self.caseID = caseID
    }
}

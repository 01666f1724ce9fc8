/// The contract's violation vocabulary (section 8). Raw values are the wire names.
public enum ViolationType: String, Sendable, CaseIterable, Hashable, Comparable {
    case illegalDump = "illegal_dump"
    case unapprovedDisposal = "unapproved_disposal"
    case noPermit = "no_permit"
    case offRoute = "off_route"
    case restrictedZone = "restricted_zone"
    case outsideHours = "outside_hours"
    case speeding
    case overload
    case unsealed
    case spill
    case signalLoss = "signal_loss"
    case plateMismatch = "plate_mismatch"
    // Contract section 12: manifests and gate records.
    /// 无联单运输: a trip loaded at a construction site matches no manifest.
    case manifestMissing = "manifest_missing"
    /// 联单未闭合: still open `manifest_close_max_s` after it was opened.
    case manifestUnclosed = "manifest_unclosed"
    /// 联单不符: closed where the load did not go, or while the truck was away.
    case manifestMismatch = "manifest_mismatch"
    /// 重量不符: received differs from what left the source.
    case weightDiscrepancy = "weight_discrepancy"
    /// 皮重异常: a tare far from the truck's other tares.
    case tareAnomaly = "tare_anomaly"
    /// 电子标签不符: the tag belongs to another plate (cloned plate or swapped tag).
    case rfidMismatch = "rfid_mismatch"
    /// 到场不符: a gate pass while the truck's GPS is elsewhere.
    case presenceMismatch = "presence_mismatch"

    public static func < (a: ViolationType, b: ViolationType) -> Bool { a.rawValue < b.rawValue }

    /// Judged from manifests and gate records (contract section 12): listed in outputs
    /// only when a run was given them, so a v1 run's files stay as they were.
    public var isChain: Bool {
        switch self {
        case .manifestMissing, .manifestUnclosed, .manifestMismatch, .weightDiscrepancy, .tareAnomaly, .rfidMismatch,
             .presenceMismatch: return true
        default: return false
        }
    }
}

/// What the violation was inferred from.
public enum ViolationSource: String, Sendable, Hashable, CaseIterable {
    case gps, sensor, camera, trajectory
    /// A manifest's own record (contract section 12).
    case manifest
    /// A site gate's record (contract section 12).
    case gate
}

/// Departments a case is routed to (contract section 8 default table).
public enum Department {
    public static let cityManagement = "city_management"
    public static let trafficPolice = "traffic_police"
    public static let transport = "transport"
    public static let housingConstruction = "housing_construction"
    /// 市场监管: weighing instruments (a drifting tare).
    public static let marketRegulation = "market_regulation"

    /// The default routing table; `Config.departments` may override it.
    public static let defaultTable: [ViolationType: [String]] = [
        .illegalDump: [cityManagement], .unapprovedDisposal: [cityManagement],
        .noPermit: [cityManagement, housingConstruction], .offRoute: [cityManagement],
        .outsideHours: [cityManagement], .unsealed: [cityManagement], .spill: [cityManagement],
        .overload: [trafficPolice], .speeding: [trafficPolice], .restrictedZone: [trafficPolice],
        .plateMismatch: [trafficPolice], .signalLoss: [transport],
        .manifestMissing: [housingConstruction, cityManagement], .manifestUnclosed: [housingConstruction, cityManagement],
        .manifestMismatch: [housingConstruction, cityManagement], .weightDiscrepancy: [cityManagement],
        .tareAnomaly: [marketRegulation], .rfidMismatch: [trafficPolice], .presenceMismatch: [trafficPolice],
    ]
}

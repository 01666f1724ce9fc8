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

    public static func < (a: ViolationType, b: ViolationType) -> Bool { a.rawValue < b.rawValue }
}

/// What the violation was inferred from.
public enum ViolationSource: String, Sendable, Hashable {
    case gps, sensor, camera, trajectory
}

/// Departments a case is routed to (contract section 8 default table).
public enum Department {
    public static let cityManagement = "city_management"
    public static let trafficPolice = "traffic_police"
    public static let transport = "transport"
    public static let housingConstruction = "housing_construction"

    /// The default routing table; `Config.departments` may override it.
    public static let defaultTable: [ViolationType: [String]] = [
        .illegalDump: [cityManagement], .unapprovedDisposal: [cityManagement],
        .noPermit: [cityManagement, housingConstruction], .offRoute: [cityManagement],
        .outsideHours: [cityManagement], .unsealed: [cityManagement], .spill: [cityManagement],
        .overload: [trafficPolice], .speeding: [trafficPolice], .restrictedZone: [trafficPolice],
        .plateMismatch: [trafficPolice], .signalLoss: [transport],
    ]
}

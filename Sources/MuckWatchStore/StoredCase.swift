public import MuckWatchCore

/// Which cases an officer wants to see; every field `nil` = no restriction. Fields combine with AND.
public struct CaseFilter: Sendable, Equatable {
    public var type: ViolationType?
    public var department: String?
    public var status: Case.Status?
    public var company: String?
    public var vehicle: String?
    /// Inclusive local dates of the case.
    public var dateFrom: LocalDate?
    public var dateTo: LocalDate?
    /// Cases no longer produced by the latest run are hidden unless asked for.
    public var includeSuperseded: Bool
    /// Only cases routed to at least one of these departments (an officer's view); `nil` = all.
    public var visibleDepartments: [String]?

    public init(type: ViolationType? = nil, department: String? = nil, status: Case.Status? = nil,
                company: String? = nil, vehicle: String? = nil, dateFrom: LocalDate? = nil,
                dateTo: LocalDate? = nil, includeSuperseded: Bool = false, visibleDepartments: [String]? = nil) {
        self.type = type
        self.department = department
        self.status = status
        self.company = company
        self.vehicle = vehicle
        self.dateFrom = dateFrom
        self.dateTo = dateTo
        self.includeSuperseded = includeSuperseded
        self.visibleDepartments = visibleDepartments
    }
}

// The read models below are made by the store only (their memberwise initializers are
// internal); other modules read them.

/// One line of `muckwatch cases list`: enough to pick a case without loading its evidence.
public struct CaseSummaryRow: Sendable, Equatable {
    public var caseID: String
    public var vehicleID: String
    public var company: String?
    public var status: Case.Status
    public var departments: [String]
    public var date: LocalDate
    /// Distinct violation types, sorted.
    public var violationTypes: [ViolationType]
    public var sourceSite: String?
    public var disposalSite: String?
    public var superseded: Bool
}

/// A trip as the store keeps it: plates and times, no pipeline indices.
public struct StoredTrip: Sendable, Equatable {
    public var sourceSite: String?
    public var loadedAt: Int64
    public var disposalSite: String?
    public var dumpLon: Double?
    public var dumpLat: Double?
    public var dumpedAt: Int64?
    public var distanceKm: Double
    public var loadT: Double?
    public var permitID: String?
}

extension StoredTrip {
    /// What the store keeps of a pipeline trip (non-finite coordinates become `nil`).
    public init(_ t: Trip) {
        self.init(sourceSite: t.sourceSite, loadedAt: t.loadedAt, disposalSite: t.disposalSite,
                  dumpLon: t.dumpLon.isFinite ? t.dumpLon : nil, dumpLat: t.dumpLat.isFinite ? t.dumpLat : nil,
                  dumpedAt: t.dumpedAt, distanceKm: t.distanceKm, loadT: t.loadT, permitID: t.permitID)
    }
}

/// A violation as the store keeps it, with its evidence.
public struct StoredViolation: Sendable, Equatable {
    public var type: ViolationType
    public var start: Int64
    public var end: Int64
    public var lon: Double
    public var lat: Double
    public var source: ViolationSource
    public var detail: String
    public var evidence: Evidence
}

extension StoredViolation {
    /// What the store keeps of a judged violation.
    public init(_ v: Violation) {
        self.init(type: v.type, start: v.start, end: v.end, lon: v.lon, lat: v.lat, source: v.source,
                  detail: v.detail, evidence: v.evidence)
    }
}

/// One row of a case's audit trail.
public struct CaseEvent: Sendable, Equatable {
    public var at: Int64
    public var actor: String
    /// `created`, `status`, `superseded`, `restored`.
    public var action: String
    public var fromStatus: Case.Status?
    public var toStatus: Case.Status?
    public var note: String?
}

/// Everything the store knows about one case: what `muckwatch cases show` prints.
public struct StoredCase: Sendable, Equatable {
    public var caseID: String
    public var vehicleID: String
    public var company: String?
    public var status: Case.Status
    public var departments: [String]
    public var date: LocalDate
    public var trip: StoredTrip?
    public var violations: [StoredViolation]
    /// Run that first produced the case and run that last did.
    public var createdRun: Int64
    public var updatedRun: Int64
    /// The latest run no longer produced this case (kept, never deleted).
    public var superseded: Bool
    /// Audit trail, oldest first.
    public var events: [CaseEvent]
}

/// Orders a case listing can take; each names the column it sorts on.
public enum CaseSort: String, Sendable, CaseIterable {
    case date, vehicle, company, status, id

    var column: String {
        switch self {
        case .date: return "c.case_day"
        case .vehicle: return "c.vehicle_id"
        case .company: return "c.company"
        case .status: return "c.status"
        case .id: return "c.case_id"
        }
    }
}

import MuckWatchCore
import MuckWatchStore

/// What the case page shows (template `case`): the case at a glance (chain, map, timeline), its
/// evidence, the facts behind it, the workflow actions the viewer may take and the audit trail.
///
/// The property names are the template's keys.
struct CasePageModel {
    var id, status: String, superseded: Bool, date, vehicle, company, departments: String
    /// Why the last action was refused, shown above the chain.
    var message: String?
    var chain: [ChainLink], map: String, timeline: [TimelineItem]
    var violations: [ViolationItem], violationCount: Int
    var permit: PermitFacts?, noPermit: String, vehicleFacts: VehicleFacts?
    /// The manifests cited or matched, and the gate passes: empty for a night without them.
    var manifests: [ManifestFacts], gatePasses: [GatePass], hasManifests: Bool, hasGates: Bool
    var canAct: Bool, cannotAct: String, actions: [Action], events: [EventRow]
    /// The case's webhook deliveries (partial `deliveries`).
    var deliveries: [DeliveryItem], hasDeliveries: Bool
    /// The Leaflet basemap in place of the SVG map (`serve --tiles`, issue #21); `nil` draws the SVG.
    var basemap: BasemapTag? = nil

    struct BasemapTag { var tiles: String; var datum: String }
    /// Issue #26: deadline, handling, photos and evaluation (partial `case-field`); set by the route.
    var field: CaseFieldModel?

    init(_ record: CaseRecord, shapes: [FenceShape], viewer: Viewer, message: String?) {
        let c = record.stored, clock = record.clock
        let names = FenceNames(shapes)
        id = c.caseID
        status = c.status.rawValue
        superseded = c.superseded
        date = c.date.description
        vehicle = c.vehicleID
        company = c.company ?? "unregistered company"
        departments = c.departments.joined(separator: ", ")
        self.message = message
        chain = Self.chain(c, permit: record.permit, names: names, clock: clock)
        map = CaseMap(record, shapes: shapes, names: names).svg()
        timeline = Self.timeline(c, cameras: record.cameras, names: names, clock: clock)
            + Self.chainTimeline(record.manifests, gates: record.gates, names: names, clock: clock)
        // Equal times keep the order they were added in (trip, violations, camera reads, then
        // manifests and gates): the sort is stable.
        timeline.sort { $0.at < $1.at }
        violations = Self.violations(c.violations, cameras: record.cameras, names: names, clock: clock)
        violationCount = violations.count
        if case .windows(let windows) = record.journal {
            let kept = Set(record.track.map(\.time))
            for (i, w) in zip(violations.indices, windows) { violations[i].rawFixes = RawFixTable(w, trackTimes: kept, clock: clock) }
        } else if case .notConfigured = record.journal {
            for i in violations.indices { violations[i].rawFixes = RawFixTable.notConfigured }
        }
        permit = record.permit.map { PermitFacts($0, names: names) }
        noPermit = Self.noPermit(c.trip)
        vehicleFacts = record.vehicle.map(VehicleFacts.init)
        manifests = Self.manifestFacts(record.manifests, trip: c.trip, names: names, clock: clock)
        gatePasses = Self.gatePasses(record.gates, cited: Set(c.violations.flatMap(\.evidence.gateEvents)), names: names,
                                     clock: clock)
        hasManifests = !manifests.isEmpty
        hasGates = !gatePasses.isEmpty
        canAct = viewer.user.role.acts
        cannotAct = "Auditors read cases; they do not change them."
        actions = Self.actions(c, viewer: viewer)
        events = c.events.map { EventRow($0, clock: clock) }
        deliveries = record.deliveries
        hasDeliveries = !deliveries.isEmpty
    }
}

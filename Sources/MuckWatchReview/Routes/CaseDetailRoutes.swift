import Foundation
import Hummingbird
import MuckWatchCore
import MuckWatchJudge
import MuckWatchStore

/// `GET /cases/:id`: the case at a glance (chain, map, timeline), its evidence, the facts behind it,
/// the workflow actions the user may take and the audit trail.
struct CaseDetailRoutes {
    let store: ReviewStore
    let renderer: Renderer
    let fences: FenceCache

    struct ChainLink { var kind: String; var label: String; var name: String; var detail: String }
    struct TimelineItem { var time: String; var text: String; var kind: String; var at: Int64 }
    struct CameraItem { var id: String; var checkpoint: String?; var time: String?; var kind: String?; var image: String? }
    struct ViolationItem {
        var n: Int, type: String, label: String, window: String, source: String, detail: String
        var fixRanges: String?, sensors: String?, cameras: Bool, cameraList: [CameraItem], images: String?
        var position: String
    }
    struct PermitFacts { var id, source, disposal, route, valid, hours, vehicles: String }
    struct VehicleFacts { var id, company, rated, terminal: String }
    struct Action { var caseID: String; var to: String; var label: String; var needsNote: Bool; var csrf: String }
    struct EventRow { var at, actor, action, from, to, note: String }
    struct Page {
        var id, status: String, superseded: Bool, date, vehicle, company, departments: String
        var message: String?
        var chain: [ChainLink], map: String, timeline: [TimelineItem]
        var violations: [ViolationItem], violationCount: Int
        var permit: PermitFacts?, noPermit: String, vehicleFacts: VehicleFacts?
        var canAct: Bool, cannotAct: String, actions: [Action], events: [EventRow]
    }

    /// Everything a case page is drawn from, read in one visit to the store.
    struct Loaded: Sendable {
        var stored: StoredCase
        var track: [TrackPoint]
        var cameras: [CameraEvent]
        var permit: Permit?
        var vehicle: Vehicle?
        var clock: LocalClock
    }

    func add(to group: RouterGroup<ReviewContext>) {
        group.get("/cases/:id") { request, context in
            try await show(context.parameters.get("id") ?? "", context, message: nil, status: .ok)
        }
    }

    func load(_ id: String) async throws -> Loaded? {
        try await store.with { s throws(StoreError) -> Loaded? in
            guard let c = try s.loadCase(id: id) else { return nil }
            let track = try s.track(caseID: id)
            let evidence = c.violations.flatMap(\.evidence.cameraEvents)
            let from = (c.trip?.loadedAt ?? track.first?.time ?? 0) - 600
            let to = (c.trip?.dumpedAt ?? track.last?.time ?? from) + 600
            let cameras = try s.cameraEvents(ids: evidence, plate: c.vehicleID, from: from, to: to)
            return Loaded(stored: c, track: track, cameras: cameras.sorted { $0.time < $1.time },
                          permit: try c.trip?.permitID.flatMap { id throws(StoreError) in try s.permit(id: id) },
                          vehicle: try s.vehicle(id: c.vehicleID), clock: s.clock)
        }
    }

    func show(_ id: String, _ context: ReviewContext, message: String?, status: HTTPResponse.Status) async throws
        -> Response {
        guard let session = context.session else { throw HTTPError(.unauthorized) }
        guard id.utf8.count <= 64, let loaded = try await load(id) else {
            return renderer.problem(.notFound, "There is no case \(id).", session: session)
        }
        let c = loaded.stored
        guard session.user.canSee(caseDepartments: c.departments) else {
            return renderer.problem(.forbidden, "Case \(id) is routed to \(c.departments.joined(separator: ", ")), "
                + "not to your department.", session: session)
        }
        let shapes = try await fences.shapes(store)
        return renderer.page("case", page(loaded, shapes: shapes, session: session, message: message),
                             title: "Case \(id)", session: session, status: status)
    }

    func page(_ loaded: Loaded, shapes: [FenceShape], session: Session, message: String?) -> Page {
        let c = loaded.stored, clock = loaded.clock
        let t = { (x: Int64) in Labels.time(x, clock) }
        let names = FenceNames(shapes)
        let byID = names.byID
        let trip = c.trip
        var highlighted = Set([trip?.sourceSite, trip?.disposalSite, loaded.permit?.route].compactMap { $0 })
        highlighted.formUnion(loaded.cameras.map(\.checkpointID))

        // Chain: source → route → dump, each marked as the rules judged it.
        let types = Set(c.violations.map(\.type))
        var chain: [ChainLink] = []
        if let trip {
            chain.append(ChainLink(kind: types.contains(.noPermit) ? "bad" : "ok", label: "Source 出土工地",
                                   name: names.label(trip.sourceSite) ?? "unknown site",
                                   detail: "loaded " + t(trip.loadedAt) + (trip.loadT.map { String(format: " · %.1f t", $0) } ?? "")))
            let routeBad = types.contains(.offRoute) || types.contains(.restrictedZone)
            chain.append(ChainLink(kind: routeBad ? "bad" : "ok", label: "Route 线路",
                                   name: loaded.permit?.route.map { names.label($0) ?? $0 } ?? "any route",
                                   detail: String(format: "%.1f km driven", trip.distanceKm)))
            let dumpBad = types.contains(.illegalDump) || types.contains(.unapprovedDisposal)
            chain.append(ChainLink(kind: dumpBad ? "bad" : "ok", label: "Dump 倾倒",
                                   name: names.label(trip.disposalSite) ?? (trip.dumpLon == nil ? "not unloaded" : "outside any disposal site"),
                                   detail: trip.dumpedAt.map { "unloaded " + t($0) }
                                       .map { $0 + (trip.dumpLon.map { l in String(format: " at %.5f, %.5f", l, trip.dumpLat ?? 0) } ?? "") }
                                       ?? "still loaded at the end of the data"))
        } else {
            chain.append(ChainLink(kind: "bad", label: "Day case", name: c.vehicleID,
                                   detail: "violations not tied to one trip"))
        }

        // Timeline.
        var timeline: [TimelineItem] = []
        if let trip {
            timeline.append(TimelineItem(time: Labels.clockTime(trip.loadedAt, clock),
                                         text: "loaded at " + (names.label(trip.sourceSite) ?? "an unknown place"), kind: "trip", at: trip.loadedAt))
            if let d = trip.dumpedAt {
                timeline.append(TimelineItem(time: Labels.clockTime(d, clock),
                                             text: "unloaded " + (trip.disposalSite.map { "at " + (names.label($0) ?? $0) } ?? "outside any disposal site"),
                                             kind: "trip", at: d))
            }
        }
        for (i, v) in c.violations.enumerated() {
            timeline.append(TimelineItem(time: Labels.clockTime(v.start, clock),
                                         text: "\(i + 1) · \(Labels.violation(v.type)) until \(Labels.clockTime(v.end, clock))",
                                         kind: "violation", at: v.start))
        }
        for e in loaded.cameras {
            timeline.append(TimelineItem(time: Labels.clockTime(e.time, clock),
                                         text: "camera \(names.label(e.checkpointID) ?? e.checkpointID): \(e.type.rawValue) (\(String(format: "%.2f", e.confidence)))",
                                         kind: "camera", at: e.time))
        }
        timeline.sort { $0.at < $1.at }

        let camerasByID = Dictionary(loaded.cameras.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let violations = c.violations.enumerated().map { i, v in
            ViolationItem(
                n: i + 1, type: v.type.rawValue, label: Labels.violation(v.type),
                window: t(v.start) + " – " + Labels.clockTime(v.end, clock), source: v.source.rawValue, detail: v.detail,
                fixRanges: v.evidence.fixRanges.isEmpty ? nil : v.evidence.fixRanges
                    .map { Labels.clockTime($0.lowerBound, clock) + "–" + Labels.clockTime($0.upperBound, clock) }
                    .joined(separator: ", "),
                sensors: v.evidence.sensorReadings.isEmpty ? nil : v.evidence.sensorReadings.joined(separator: "; "),
                cameras: !v.evidence.cameraEvents.isEmpty,
                cameraList: v.evidence.cameraEvents.map { id in
                    let e = camerasByID[id]
                    return CameraItem(id: id, checkpoint: e.map { names.label($0.checkpointID) ?? $0.checkpointID },
                                      time: e.map { Labels.clockTime($0.time, clock) },
                                      kind: e.map { "\($0.type.rawValue), \(String(format: "%.2f", $0.confidence))" },
                                      image: e?.image)
                },
                images: v.evidence.images.isEmpty ? nil : v.evidence.images.joined(separator: ", "),
                position: String(format: "%.6f, %.6f", v.lon, v.lat))
        }

        let map = CaseMap(
            track: loaded.track,
            fences: shapes.filter { $0.kind != .checkpoint || highlighted.contains($0.id) },
            highlighted: highlighted,
            dump: trip.flatMap { t in t.dumpLon.flatMap { lon in t.dumpLat.map { LonLat(lon: lon, lat: $0) } } },
            violations: c.violations.enumerated().map { i, v in
                CaseMap.Marker(at: LonLat(lon: v.lon, lat: v.lat), label: String(i + 1),
                               title: "\(i + 1): \(v.type.rawValue) \(t(v.start))")
            },
            cameras: loaded.cameras.compactMap { e in
                byID[e.checkpointID]?.point.map {
                    CaseMap.Marker(at: $0, label: Labels.clockTime(e.time, clock).prefix(5) + " " + e.type.rawValue,
                                   title: "\(e.id) \(e.type.rawValue) \(t(e.time))")
                }
            }).svg()

        let user = session.user
        let actions = CaseWorkflow.allowedTargets(from: c.status).map {
            Action(caseID: c.caseID, to: $0.rawValue, label: Labels.action($0), needsNote: CaseWorkflow.needsNote($0),
                   csrf: session.csrf)
        }
        return Page(
            id: c.caseID, status: c.status.rawValue, superseded: c.superseded, date: c.date.description,
            vehicle: c.vehicleID, company: c.company ?? "unregistered company",
            departments: c.departments.joined(separator: ", "), message: message,
            chain: chain, map: map, timeline: timeline, violations: violations, violationCount: violations.count,
            permit: loaded.permit.map { p in
                PermitFacts(id: p.id, source: names.label(p.sourceSite) ?? p.sourceSite,
                            disposal: names.label(p.disposalSite) ?? p.disposalSite,
                            route: p.route.map { names.label($0) ?? $0 } ?? "any route",
                            valid: "\(p.validFrom) – \(p.validTo)",
                            hours: p.hours?.map(\.description).joined(separator: ", ") ?? "any hour",
                            vehicles: p.vehicles.joined(separator: ", "))
            },
            noPermit: trip?.permitID.map { "Permit \($0) (not in the store's permit list)." }
                ?? "No permit covers this trip.",
            vehicleFacts: loaded.vehicle.map { v in
                VehicleFacts(id: v.id, company: v.company, rated: v.ratedLoadT.map { String(format: "%.1f t", $0) } ?? "unknown",
                             terminal: v.terminalID ?? "—")
            },
            canAct: user.role.acts, cannotAct: "Auditors read cases; they do not change them.",
            actions: actions,
            events: c.events.map { e in
                EventRow(at: t(e.at), actor: e.actor, action: e.action, from: e.fromStatus?.rawValue ?? "",
                         to: e.toStatus?.rawValue ?? "", note: e.note ?? "")
            })
    }
}

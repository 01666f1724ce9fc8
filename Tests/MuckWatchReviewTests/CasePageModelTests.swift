import MuckWatchCore
@testable import MuckWatchReview
import MuckWatchJudge
@testable import MuckWatchStore
import Testing
import Mustache

/// The case page's model built straight from store values: no router, no store, no HTTP.
@Suite("Review app: case page model")
struct CasePageModelTests {
    static let t0: Int64 = 1_795_000_000  // 2026-11-18 19:06:40 in Shanghai
    static let clock = LocalClock.shanghai
    static let shapes = [
        FenceShape(id: "CS-1", kind: .constructionSite, name: "Jiangbei site", paths: [], point: nil, corridorM: nil,
                   radiusM: nil),
        FenceShape(id: "DS-1", kind: .disposalSite, name: "Longxing yard", paths: [], point: nil, corridorM: nil,
                   radiusM: nil),
        FenceShape(id: "R-1", kind: .route, name: "R-1", paths: [], point: nil, corridorM: 60, radiusM: nil),
        FenceShape(id: "CP-7", kind: .checkpoint, name: "Toll gate", paths: [],
                   point: LonLat(lon: 106.55, lat: 29.56), corridorM: nil, radiusM: 30),
    ]

    static func violation(_ type: ViolationType, at start: Int64, cameras: [String] = [],
                          fixes: [ClosedRange<Int64>] = []) -> StoredViolation {
        StoredViolation(type: type, start: start, end: start + 300, lon: 106.5, lat: 29.5, source: .gps,
                        detail: "\(type.rawValue) detail",
                        evidence: Evidence(fixRanges: fixes, cameraEvents: cameras))
    }

    static func record(trip: StoredTrip?, violations: [StoredViolation], status: Case.Status = .open,
                       cameras: [CameraEvent] = [], permit: Permit? = nil, vehicle: Vehicle? = nil,
                       events: [CaseEvent] = []) -> CaseRecord {
        let stored = StoredCase(caseID: "C-1", vehicleID: "渝F12345", company: nil, status: status,
                                departments: ["city_management", "traffic_police"],
                                date: clock.date(of: t0), trip: trip, violations: violations, createdRun: 1,
                                updatedRun: 1, superseded: false, events: events)
        return CaseRecord(stored: stored, track: [], cameras: cameras, permit: permit, vehicle: vehicle, clock: clock)
    }

    static let tripToNowhere = StoredTrip(sourceSite: "CS-1", loadedAt: t0, disposalSite: nil, dumpLon: 106.51234,
                                          dumpLat: 29.54321, dumpedAt: t0 + 3600, distanceKm: 12.34, loadT: 18,
                                          permitID: "P-9")

    static func viewer(_ role: Role, departments: [String] = ["city_management"]) -> Viewer {
        Viewer(user: User(name: "wang", role: role, departments: departments, passwordHash: ""), csrf: "token-1")
    }

    static func page(_ record: CaseRecord, _ role: Role = .officer) -> CasePageModel {
        CasePageModel(record, shapes: shapes, viewer: viewer(role), message: nil)
    }

    @Test("A trip case's chain names the source site, the route and the dump, red where a violation concerns it")
    func tripChain() {
        let permit = Permit(id: "P-9", vehicles: ["渝F12345"], sourceSite: "CS-1", disposalSite: "DS-1", route: "R-1",
                            validFrom: LocalDate(year: 2026, month: 11, day: 1),
                            validTo: LocalDate(year: 2026, month: 11, day: 30), hours: nil)
        let r = Self.record(trip: Self.tripToNowhere, violations: [Self.violation(.illegalDump, at: Self.t0 + 3600)],
                            permit: permit)
        let chain = Self.page(r).chain
        #expect(chain.map(\.label) == ["Source 出土工地", "Route 线路", "Dump 倾倒"])
        #expect(chain.map(\.kind) == ["ok", "ok", "bad"])
        #expect(chain[0].name == "Jiangbei site (CS-1)")
        #expect(chain[0].detail == "loaded 2026-11-18 19:06:40 · 18.0 t")
        #expect(chain[1].name == "R-1")
        #expect(chain[1].detail == "12.3 km driven")
        #expect(chain[2].name == "outside any disposal site")
        #expect(chain[2].detail == "unloaded 2026-11-18 20:06:40 at 106.51234, 29.54321")
    }

    @Test("Off-route and no-permit violations turn the route and source links red; an open trip is still loaded")
    func openTripChain() {
        var trip = Self.tripToNowhere
        trip.dumpedAt = nil
        trip.dumpLon = nil
        trip.dumpLat = nil
        trip.loadT = nil
        let r = Self.record(trip: trip, violations: [Self.violation(.offRoute, at: Self.t0 + 600),
                                                     Self.violation(.noPermit, at: Self.t0)])
        let chain = Self.page(r).chain
        #expect(chain.map(\.kind) == ["bad", "bad", "ok"])
        #expect(chain[0].detail == "loaded 2026-11-18 19:06:40")
        #expect(chain[1].name == "any route")
        #expect(chain[2].name == "not unloaded")
        #expect(chain[2].detail == "still loaded at the end of the data")
    }

    @Test("A day case has one link, the vehicle, and says no permit covers it")
    func dayCase() {
        let r = Self.record(trip: nil, violations: [Self.violation(.speeding, at: Self.t0 + 1200)])
        let page = Self.page(r)
        #expect(page.chain.count == 1)
        #expect(page.chain[0].kind == "bad")
        #expect(page.chain[0].label == "Day case")
        #expect(page.chain[0].name == "渝F12345")
        #expect(page.timeline.map(\.kind) == ["violation"])
        #expect(page.timeline[0].text == "1 · speeding 超速 until 19:31:40")
        #expect(page.noPermit == "No permit covers this trip.")
        #expect(page.permit == nil)
        #expect(page.company == "unregistered company")
        #expect(page.departments == "city_management, traffic_police")
    }

    @Test("The timeline runs in time order across loading, camera reads, violations and unloading")
    func timelineOrder() {
        let camera = CameraEvent(id: "E-1", checkpointID: "CP-7", time: Self.t0 + 600, plate: "渝F12345",
                                 type: .overload, confidence: 0.875, image: nil)
        let r = Self.record(trip: Self.tripToNowhere,
                            violations: [Self.violation(.illegalDump, at: Self.t0 + 3600),
                                         Self.violation(.overload, at: Self.t0 + 1200),
                                         Self.violation(.outsideHours, at: Self.t0)],
                            cameras: [camera])
        let timeline = Self.page(r).timeline
        #expect(timeline.map(\.time) == ["19:06:40", "19:06:40", "19:16:40", "19:26:40", "20:06:40", "20:06:40"])
        // Equal times keep trip before violation.
        #expect(timeline.map(\.kind) == ["trip", "violation", "camera", "violation", "trip", "violation"])
        #expect(timeline[0].text == "loaded at Jiangbei site (CS-1)")
        #expect(timeline[2].text == "camera Toll gate (CP-7): overload (0.88)")
        #expect(timeline[4].text == "unloaded outside any disposal site")
    }

    @Test("Each violation lists its evidence; a cited camera read the store lacks shows its id alone")
    func evidence() {
        let camera = CameraEvent(id: "E-1", checkpointID: "CP-7", time: Self.t0 + 600, plate: "渝F12345",
                                 type: .unsealed, confidence: 0.9, image: "img/E-1.jpg")
        let v = Self.violation(.unsealed, at: Self.t0 + 600, cameras: ["E-1", "E-404"],
                               fixes: [Self.t0...(Self.t0 + 60), (Self.t0 + 600)...(Self.t0 + 660)])
        let item = Self.page(Self.record(trip: nil, violations: [v], cameras: [camera])).violations[0]
        #expect(item.n == 1)
        #expect(item.window == "2026-11-18 19:16:40 – 19:21:40")
        #expect(item.fixRanges == "19:06:40–19:07:40, 19:16:40–19:17:40")
        #expect(item.sensors == nil)
        #expect(item.cameras)
        #expect(item.cameraList.map(\.id) == ["E-1", "E-404"])
        #expect(item.cameraList[0].checkpoint == "Toll gate (CP-7)")
        #expect(item.cameraList[0].kind == "unsealed, 0.90")
        #expect(item.cameraList[0].image == "img/E-1.jpg")
        #expect(item.cameraList[1].checkpoint == nil && item.cameraList[1].time == nil)
        #expect(item.position == "106.500000, 29.500000")
    }

    @Test("Actions: the workflow's next steps for those who act, none for auditors", arguments: Case.Status.allCases)
    func actions(status: Case.Status) {
        let r = Self.record(trip: nil, violations: [], status: status)
        for role in [Role.officer, .supervisor] {
            let page = Self.page(r, role)
            #expect(page.canAct)
            #expect(page.actions.map(\.to) == CaseWorkflow.allowedTargets(from: status).map(\.rawValue))
            #expect(page.actions.allSatisfy { $0.csrf == "token-1" && $0.caseID == "C-1" })
            #expect(page.actions.filter(\.needsNote).map(\.to) == (status == .open || status == .dispatched
                                                                       ? ["dismissed"] : status == .resolved ? ["dispatched"] : []))
        }
        let audited = Self.page(r, .auditor)
        #expect(!audited.canAct)
        #expect(audited.actions.isEmpty)
    }

    @Test("Permit and vehicle facts name fences; the audit trail leaves absent values blank")
    func factsAndAudit() {
        let permit = Permit(id: "P-9", vehicles: ["渝F12345", "渝F54321"], sourceSite: "CS-1", disposalSite: "DS-9",
                            route: nil, validFrom: LocalDate(year: 2026, month: 11, day: 1),
                            validTo: LocalDate(year: 2026, month: 11, day: 30),
                            hours: [HourWindow(startMinute: 22 * 60, endMinute: 6 * 60)])
        let vehicle = Vehicle(id: "渝F12345", company: "Shancheng Haulage", ratedLoadT: 20, terminalID: nil)
        let events = [CaseEvent(at: Self.t0, actor: "analyze", action: "created", fromStatus: nil, toStatus: .open,
                                note: nil),
                      CaseEvent(at: Self.t0 + 7200, actor: "wang", action: "status", fromStatus: .open,
                                toStatus: .dismissed, note: "plate misread")]
        let page = Self.page(Self.record(trip: Self.tripToNowhere, violations: [], permit: permit, vehicle: vehicle,
                                         events: events))
        #expect(page.permit?.source == "Jiangbei site (CS-1)")
        #expect(page.permit?.disposal == "DS-9")
        #expect(page.permit?.route == "any route")
        #expect(page.permit?.valid == "2026-11-01 – 2026-11-30")
        #expect(page.permit?.hours == HourWindow(startMinute: 22 * 60, endMinute: 6 * 60).description)
        #expect(page.permit?.vehicles == "渝F12345, 渝F54321")
        #expect(page.vehicleFacts?.rated == "20.0 t")
        #expect(page.vehicleFacts?.terminal == "—")
        #expect(page.events.map(\.at) == ["2026-11-18 19:06:40", "2026-11-18 21:06:40"])
        #expect(page.events[0].from == "" && page.events[0].to == "open" && page.events[0].note == "")
        #expect(page.events[1].note == "plate misread")
        #expect(Self.page(Self.record(trip: Self.tripToNowhere, violations: [])).noPermit
                    == "Permit P-9 (not in the store's permit list).")
    }

    @Test("The case template reads the model's keys: chain, actions for an officer, the auditors' note otherwise")
    func rendersThroughTheTemplate() {
        let r = Self.record(trip: Self.tripToNowhere, violations: [Self.violation(.illegalDump, at: Self.t0 + 3600)])
        let library = Renderer().library
        let officer = library.render(Self.page(r, .officer), withTemplate: "case") ?? ""
        #expect(officer.contains(#"<div class="link bad"><span class="k">Dump 倾倒</span>"#))
        #expect(officer.contains(#"<form method="post" action="/cases/C-1/status" class="action" id="act-dismissed">"#))
        #expect(officer.contains(#"<input type="hidden" name="csrf" value="token-1">"#))
        let auditor = library.render(Self.page(r, .auditor), withTemplate: "case") ?? ""
        #expect(!auditor.contains("act-dismissed"))
        #expect(auditor.contains("Auditors read cases; they do not change them."))
    }
}

import Hummingbird
import MuckWatchCore
@testable import MuckWatchReview
@testable import MuckWatchStore
import Testing

/// The manifests view, the case page's manifests and gate passes and the chain statistics, built
/// straight from store values: no router, no store, no HTTP.
@Suite("Review app: manifest models")
struct ManifestModelTests {
    static let t0 = CasePageModelTests.t0
    static let clock = LocalClock.shanghai
    static let names = FenceNames(CasePageModelTests.shapes)
    static let officer = User(name: "wang", role: .officer, departments: ["city_management"], passwordHash: "")

    /// Loaded at CS-1 at t0 and closed 40 min later at DS-1 with 27.6 t received.
    static let closedElsewhere = Manifest(
        id: "M-1", permitID: "P-9", vehicleID: "渝F12345", driverID: "DR-1", sourceSite: "CS-1", disposalSite: "DS-1",
        wasteType: .excavatedSoil, declaredT: 28, openedAt: t0 + 30, closedAt: t0 + 2400, closedSite: "DS-1",
        receivedT: 27.6)

    static func stored(_ m: Manifest, _ state: ManifestState, trip: Int64? = nil, caseID: String? = nil,
                       departments: [String] = []) -> StoredManifest {
        StoredManifest(entry: ManifestEntry(manifest: m, state: state, tripLoadedAt: trip, caseID: caseID),
                       company: "渝运公司", caseDepartments: departments)
    }

    @Test("The URL's filters are parsed, a day stands for from and to, unknown values are reported")
    func query() {
        let q = ManifestListQuery(["state": "lost", "site": "DS-1", "company": "渝运公司", "driver": " DR-1 ",
                                   "date": "2026-11-18", "to": "2026-11-19", "page": "3"])
        #expect(q.filter == ManifestFilter(site: "DS-1", company: "渝运公司", driver: "DR-1",
                                           dateFrom: LocalDate(year: 2026, month: 11, day: 18),
                                           dateTo: LocalDate(year: 2026, month: 11, day: 19)))
        #expect(q.page == 3)
        #expect(q.problems == ["unknown manifest state “lost”"])
        #expect(q.link(["state": "closed", "page": nil]).hasPrefix("/manifests?site=DS-1&company=%E6%B8%9D"))
    }

    @Test("A row says the state, the trip matched and links the case only for a viewer who may open it")
    func rows() {
        let listing = ManifestListing(
            counts: [.open: 0, .closed: 4, .unclosed: 1, .mismatched: 2],
            rows: [Self.stored(Self.closedElsewhere, .mismatched, trip: Self.t0, caseID: "C-1",
                               departments: ["city_management"]),
                   Self.stored(Manifest(id: "M-2", vehicleID: "渝F67890", sourceSite: "CS-1", disposalSite: "DS-1",
                                        wasteType: .demolition, declaredT: 12, openedAt: Self.t0), .unclosed,
                               caseID: "C-2", departments: ["traffic_police"])],
            sites: ["CS-1", "DS-1"], companies: ["渝运公司"])
        let q = ManifestListQuery(["state": "mismatched", "site": "DS-1"])
        let model = ManifestListModel(q, listing: listing, viewer: Self.officer, names: Self.names, clock: Self.clock,
                                      pageSize: 1)
        #expect(model.total == 2 && model.pages == 2 && model.next == "/manifests?state=mismatched&site=DS-1&page=2")
        #expect(model.stateTabs.map(\.count) == [7, 0, 4, 1, 2])
        #expect(model.stateTabs.map(\.active) == [false, false, false, false, true])
        #expect(model.stateTabs[0].href == "/manifests?site=DS-1")
        #expect(model.sites.map(\.label) == ["Jiangbei site (CS-1)", "Longxing yard (DS-1)"])
        #expect(model.sites.filter(\.selected).map(\.value) == ["DS-1"])
        let mismatched = model.rows[0]
        #expect(mismatched.stateLabel == "mismatched 联单不符")
        #expect(mismatched.trip == "渝F12345 · loaded 2026-11-18 19:06:40" && mismatched.matched)
        #expect(mismatched.closed == "2026-11-18 19:46:40 at Longxing yard (DS-1)")
        #expect(mismatched.declared == "28.0 t" && mismatched.received == "27.6 t")
        #expect(mismatched.caseLink == "/cases/C-1")
        let elsewhere = model.rows[1]
        #expect(elsewhere.trip == "no trip matched" && !elsewhere.matched && elsewhere.closed == "not closed")
        #expect(elsewhere.caseID == "C-2" && elsewhere.caseLink == nil)
        #expect(elsewhere.driver == "—" && elsewhere.received == "—")
    }

    @Test("The case page shows the manifest's tonnes, planned and actual sites, and each gate pass's weights")
    func casePage() {
        let trip = StoredTrip(sourceSite: "CS-1", loadedAt: Self.t0, disposalSite: nil, dumpLon: 106.51, dumpLat: 29.54,
                              dumpedAt: Self.t0 + 1800, distanceKm: 9, loadT: 28, permitID: "P-9")
        var record = CasePageModelTests.record(trip: trip, violations: [
            StoredViolation(type: .manifestMismatch, start: Self.t0 + 2400, end: Self.t0 + 2400, lon: 106.5, lat: 29.5,
                            source: .manifest, detail: "closed at DS-1, unloaded outside any site",
                            evidence: Evidence(manifests: ["M-1"], gateEvents: ["G-1"])),
        ])
        record.manifests = [Self.stored(Self.closedElsewhere, .mismatched, trip: Self.t0, caseID: "C-1")]
        record.gates = [
            StoredGateEvent(vehicleID: "渝F12345", event: GateEvent(
                id: "G-1", site: "CS-1", time: Self.t0 + 20, direction: .out, plate: "渝F12345", rfid: "E280",
                grossT: 43.1, tareT: 15.2, manifestID: "M-1", image: "gates/G-1.jpg")),
            StoredGateEvent(vehicleID: "渝F12345", event: GateEvent(id: "G-2", site: "CP-7", time: Self.t0 + 600,
                                                                   direction: .in, rfid: "E280")),
        ]
        let page = CasePageModelTests.page(record)
        let m = page.manifests[0]
        #expect(page.hasManifests && m.id == "M-1" && m.stateLabel == "mismatched 联单不符")
        #expect(m.waste == "excavated soil 工程渣土" && m.declared == "28.0 t" && m.received == "27.6 t")
        #expect(m.planned == "Longxing yard (DS-1)" && m.actual == "outside any disposal site" && m.closedElsewhere)
        #expect(m.opened == "2026-11-18 19:07:10 at Jiangbei site (CS-1)")
        #expect(m.closed == "2026-11-18 19:46:40 at Longxing yard (DS-1)")
        #expect(page.hasGates && page.gatePasses.map(\.id) == ["G-1", "G-2"])
        let out = page.gatePasses[0]
        #expect(out.cited && out.net == "27.9 t" && out.gross == "43.1 t" && out.tare == "15.2 t")
        #expect(out.direction == "out 出场" && out.tag == "E280" && out.image == "gates/G-1.jpg" && out.manifest == "M-1")
        let tagOnly = page.gatePasses[1]
        #expect(!tagOnly.cited && tagOnly.plate == "not read" && tagOnly.net == "—")
        #expect(page.violations[0].manifestIDs == "M-1" && page.violations[0].gateIDs == "G-1")
        #expect(page.timeline.map(\.kind) == ["trip", "gate", "manifest", "gate", "trip", "violation", "manifest"])
        #expect(page.timeline[1].text == "gate Jiangbei site (CS-1) out, net 27.9 t")
        #expect(page.timeline[6].text == "manifest M-1 closed at Longxing yard (DS-1), 27.6 t received")
        // Gate passes at their site's point; the closing where DS-1 is (no geometry here, so not drawn).
        #expect(page.map.contains(#"class="gate-mark""#) && page.map.contains("gate G-2 CP-7 in"))
        #expect(!page.map.contains(#"class="closing-mark""#))
    }

    @Test("A case without manifests or gate passes has neither section, nor their markers")
    func v1CasePage() {
        let page = CasePageModelTests.page(CasePageModelTests.record(trip: CasePageModelTests.tripToNowhere, violations: []))
        #expect(!page.hasManifests && !page.hasGates && !page.map.contains("gate-mark"))
    }

    @Test("The chain statistics: headline figures, the tables in words, companies and drivers linked to their manifests")
    func statistics() throws {
        let day = LocalDate(year: 2026, month: 11, day: 18)
        let st = ChainStatistics(
            date: day, manifestsOpened: 4, manifestsClosed: 3, tripsWithoutManifest: 2,
            discharged: [.init(site: "CS-1", wasteType: .demolition, tonnes: 60, manifests: 2)],
            received: [.init(site: "DS-1", facility: .recycling, tonnes: 30, trips: 1),
                       .init(site: "DS-2", facility: .landfill, tonnes: 90, trips: 3)],
            byCompany: [.init(name: CaseStore.unregisteredCompany, manifests: 0, closed: 0, flagged: 0, declaredT: 0,
                              receivedT: 0, tripsWithoutManifest: 2),
                        .init(name: "渝运公司", manifests: 4, closed: 3, flagged: 1, declaredT: 100, receivedT: 88,
                              tripsWithoutManifest: 0)],
            byDriver: [.init(name: "DR-1", manifests: 4, closed: 3, flagged: 1, declaredT: 100, receivedT: 88,
                             tripsWithoutManifest: 0)])
        let model = StatisticsModel(dates: [day], stats: nil, chain: st, names: Self.names)
        let chain = try #require(model.chain)
        #expect(chain.figures.map(\.value) == ["4", "3", "75.0 %", "2", "90.0 t", "30.0 t", "0.0 t", "0.0 t", "25.0 %"])
        #expect(chain.grids.map(\.key) == ["discharged", "received", "facility", "chain-companies", "drivers"])
        let discharged = chain.grids[0].rows[0].cells
        #expect(discharged.map(\.text) == ["Jiangbei site (CS-1)", "demolition 拆除垃圾", "60.0 t", "2"])
        #expect(discharged[0].href == "/manifests?site=CS-1&from=2026-11-18&to=2026-11-18")
        #expect(chain.grids[1].rows.map { $0.cells[1].text } == ["recycling 资源化利用", "landfill 填埋"])
        let companies = chain.grids[3]
        #expect(companies.headers.count == companies.rows[1].cells.count)
        #expect(companies.rows[0].cells[0].href == nil)
        #expect(companies.rows[1].cells.map(\.text) == ["渝运公司", "4", "3", "75.0 %", "1", "100.0 t", "88.0 t", "0"])
        #expect(chain.grids[4].rows[0].cells[0].href == "/manifests?driver=DR-1&from=2026-11-18&to=2026-11-18")
        #expect(StatisticsModel(dates: [day], stats: nil, names: Self.names).chain == nil)
    }
}

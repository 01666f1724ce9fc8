import Foundation
import MuckWatchCore
@testable import MuckWatchStore
import Testing
import MuckWatchTestSupport

/// `sampleRun` with the chain of contract section 12: four manifests in every state, three gate
/// passes (one tag-only), fences with their facility and a registry naming the companies.
///
/// 2026-11-20: M-1 (渝F12345, S-03 → D-01, closed at D-01 but the trip dumped outside: mismatched,
/// case 0001), M-2 (渝F67890, S-01 → D-01, closed, received 29 t at the recycling site), M-3
/// (渝F67890, S-01 → D-02, unclosed, case 0002); a fourth trip of 渝F12345 (S-03 → D-02, 19 t
/// weighed) and an open one of 渝F12345 (judged manifest_missing, case 0004) have no manifest, and
/// unregistered 渝F55555 is parked loaded at S-01 when the data ends (owing none). 2026-11-21: M-4 (unregistered 渝F00000, open, no trip).
func chainRun() -> RunResult {
    var run = sampleRun()
    let a = run.plates.intern("渝F12345")
    run.trips[0].manifestID = "M-1"
    run.trips[2].manifestID = "M-2"
    run.trips[2].receivedT = 29
    var unmatched = Trip(vehicle: a, sourceSite: "S-03", loadedAt: night + 3000, loadStart: night + 2900,
                         disposalSite: "D-02", dumpLon: 108.47, dumpLat: 30.8, dumpedAt: night + 4500,
                         dumpEnd: night + 4600, unloadEvidence: .disposalDwell, distanceKm: 9, loadT: 20, permitID: nil,
                         fixRange: 90..<120)
    unmatched.receivedT = 19
    // Parked loaded at S-01 when the data ends: it never left, so it owes no manifest.
    let parked = Trip(vehicle: run.plates.intern("渝F55555"), sourceSite: "S-01", loadedAt: night + 6000,
                      loadStart: night + 5900, disposalSite: nil, dumpLon: 108.40, dumpLat: 30.8, dumpedAt: nil,
                      dumpEnd: nil, unloadEvidence: .none, distanceKm: 0, loadT: 30, permitID: nil, fixRange: 200..<201)
    // Still loaded on the road when the data ends: judged manifest_missing, so it counts.
    let driving = Trip(vehicle: a, sourceSite: "S-03", loadedAt: night + 5000, loadStart: night + 4900,
                       disposalSite: nil, dumpLon: 108.43, dumpLat: 30.8, dumpedAt: nil, dumpEnd: nil,
                       unloadEvidence: .none, distanceKm: 4, loadT: 25, permitID: nil, fixRange: 130..<150,
                       caseID: "C-20261120-0004")
    let missing = Violation(vehicle: a, type: .manifestMissing, start: night + 5000, end: night + 6000, lon: 108.42,
                            lat: 30.8, source: .manifest, detail: "trip from S-03 with no manifest", tripIndex: 0)
    run.cases.append(Case(id: "C-20261120-0004", vehicleID: "渝F12345", company: "渝运公司",
                          departments: ["housing_construction", "city_management"], trip: driving,
                          date: LocalDate(year: 2026, month: 11, day: 20), violations: [missing]))
    run.trips += [unmatched, parked, driving]
    let square = { (id: String, kind: FenceKind, lon: Double, facility: Facility?) in
        Fence(id: id, name: id + " yard", kind: kind,
              geometry: .polygons([[[LonLat(lon: lon, lat: 30.8), LonLat(lon: lon + 0.002, lat: 30.8),
                                     LonLat(lon: lon + 0.002, lat: 30.802), LonLat(lon: lon, lat: 30.802)]]]),
              facility: facility)
    }
    run.fences = [square("S-01", .constructionSite, 108.40, nil), square("S-03", .constructionSite, 108.42, nil),
                  square("D-01", .disposalSite, 108.46, .recycling), square("D-02", .disposalSite, 108.48, nil)]
    run.vehicles = [Vehicle(id: "渝F12345", company: "渝运公司", ratedLoadT: 25, terminalID: nil, rfid: "E1"),
                    Vehicle(id: "渝F67890", company: "渝达公司", ratedLoadT: 30, terminalID: nil, rfid: "E2")]
    let m1 = Manifest(id: "M-1", permitID: "P-2026-0412", vehicleID: "渝F12345", driverID: "DR-1", sourceSite: "S-03",
                      disposalSite: "D-01", wasteType: .excavatedSoil, declaredT: 28, openedAt: night + 620,
                      closedAt: night + 2700, closedSite: "D-01", receivedT: 27.6)
    let m2 = Manifest(id: "M-2", vehicleID: "渝F67890", driverID: "DR-2", sourceSite: "S-01", disposalSite: "D-01",
                      wasteType: .demolition, declaredT: 30, openedAt: night + 5010, closedAt: night + 7100,
                      closedSite: "D-01", receivedT: 29)
    let m3 = Manifest(id: "M-3", vehicleID: "渝F67890", driverID: "DR-2", sourceSite: "S-01", disposalSite: "D-02",
                      wasteType: .excavatedSoil, declaredT: 20, openedAt: night + 100)
    let m4 = Manifest(id: "M-4", vehicleID: "渝F00000", sourceSite: "S-05", disposalSite: "D-01",
                      wasteType: .decoration, declaredT: 10, openedAt: night + 86_400)
    run.manifests = [
        ManifestEntry(manifest: m1, state: .mismatched, tripLoadedAt: night + 600, caseID: "C-20261120-0001"),
        ManifestEntry(manifest: m2, state: .closed, tripLoadedAt: night + 5000),
        ManifestEntry(manifest: m3, state: .unclosed, caseID: "C-20261120-0002"),
        ManifestEntry(manifest: m4, state: .open),
    ]
    run.gateEvents = [
        ("渝F12345", GateEvent(id: "G-1", site: "S-03", time: night + 610, direction: .out, plate: "渝F12345", rfid: "E1",
                              grossT: 43.1, tareT: 15.2, manifestID: "M-1", image: "gates/G-1.jpg")),
        ("渝F67890", GateEvent(id: "G-2", site: "D-01", time: night + 7050, direction: .in, plate: "渝F67890",
                              grossT: 44, tareT: 15)),
        ("渝F67890", GateEvent(id: "G-3", site: "S-01", time: night + 5005, direction: .out, rfid: "E2")),
    ]
    return run
}

@Suite("Store: manifests, gate passes and the chain's statistics")
struct ChainQueryTests {
    static let day = LocalDate(year: 2026, month: 11, day: 20)

    static func store(_ run: RunResult = chainRun(), _ backend: StoreBackend = .sqlite) throws -> (CaseStore, TempDir) {
        let dir = try TempDir(backend)
        let store = try CaseStore(path: dir.storePath)
        try store.write(run)
        return (store, dir)
    }

    static func ids(_ store: CaseStore, _ filter: ManifestFilter, offset: Int = 0, limit: Int = 50) throws -> [String] {
        try store.manifestPage(filter, offset: offset, limit: limit).map(\.manifest.id)
    }

    @Test("Every filter narrows the list to the manifests it names; newest opened first", arguments: StoreBackend.allCases)
    func filters(backend: StoreBackend) throws {
        let (store, dir) = try Self.store(chainRun(), backend)
        defer { dir.cleanup() }
        #expect(try Self.ids(store, ManifestFilter()) == ["M-4", "M-2", "M-1", "M-3"])
        // A site matches as source, planned disposal site or closing site.
        #expect(try Self.ids(store, ManifestFilter(site: "S-01")) == ["M-2", "M-3"])
        #expect(try Self.ids(store, ManifestFilter(site: "D-01")) == ["M-4", "M-2", "M-1"])
        #expect(try Self.ids(store, ManifestFilter(site: "D-02")) == ["M-3"])
        #expect(try Self.ids(store, ManifestFilter(company: "渝达公司")) == ["M-2", "M-3"])
        #expect(try Self.ids(store, ManifestFilter(company: "nobody")) == [])
        #expect(try Self.ids(store, ManifestFilter(vehicle: "渝F00000")) == ["M-4"])
        #expect(try Self.ids(store, ManifestFilter(driver: "DR-2")) == ["M-2", "M-3"])
        #expect(try Self.ids(store, ManifestFilter(dateFrom: Self.day, dateTo: Self.day)) == ["M-2", "M-1", "M-3"])
        #expect(try Self.ids(store, ManifestFilter(dateFrom: LocalDate(year: 2026, month: 11, day: 21))) == ["M-4"])
        #expect(try Self.ids(store, ManifestFilter(state: .mismatched)) == ["M-1"])
        #expect(try Self.ids(store, ManifestFilter(site: "D-01", state: .closed)) == ["M-2"])
    }

    @Test("Pages walk every manifest once; counts per state ignore the state asked for", arguments: StoreBackend.allCases)
    func pagingAndCounts(backend: StoreBackend) throws {
        let (store, dir) = try Self.store(chainRun(), backend)
        defer { dir.cleanup() }
        #expect(try Self.ids(store, ManifestFilter(), offset: 0, limit: 3) == ["M-4", "M-2", "M-1"])
        #expect(try Self.ids(store, ManifestFilter(), offset: 3, limit: 3) == ["M-3"])
        #expect(try Self.ids(store, ManifestFilter(), offset: 4, limit: 3) == [])
        #expect(try store.manifestCountsByState(ManifestFilter()) == [.open: 1, .closed: 1, .unclosed: 1, .mismatched: 1])
        #expect(try store.manifestCountsByState(ManifestFilter(company: "渝达公司", state: .closed))
                == [.open: 0, .closed: 1, .unclosed: 1, .mismatched: 0])
    }

    @Test("One manifest comes back whole, with its company, trip, case and the case's departments", arguments: StoreBackend.allCases)
    func oneManifest(backend: StoreBackend) throws {
        let (store, dir) = try Self.store(chainRun(), backend)
        defer { dir.cleanup() }
        let m1 = try #require(try store.manifest(id: "M-1"))
        #expect(m1.entry == chainRun().manifests[0])
        #expect(m1.company == "渝运公司")
        #expect(m1.caseDepartments == ["city_management"])
        let m3 = try #require(try store.manifest(id: "M-3"))
        #expect(m3.manifest.closedAt == nil && m3.manifest.receivedT == nil && m3.entry.tripLoadedAt == nil)
        #expect(m3.caseDepartments == ["city_management", "housing_construction"])
        let m4 = try #require(try store.manifest(id: "M-4"))
        #expect(m4.company == nil && m4.caseDepartments.isEmpty && m4.manifest.driverID == nil)
        #expect(try store.manifest(id: "M-404") == nil)
        #expect(try store.manifests(ids: ["M-3", "M-404", "M-1", "M-3"]).map(\.manifest.id) == ["M-3", "M-1"])
        #expect(try store.matchedManifestID(caseID: "C-20261120-0001") == "M-1")
        #expect(try store.matchedManifestID(caseID: "C-20261121-0003") == nil)
    }

    @Test("Gate passes by id and by vehicle and window, each once, oldest first, weights and tag kept", arguments: StoreBackend.allCases)
    func gatePasses(backend: StoreBackend) throws {
        let (store, dir) = try Self.store(chainRun(), backend)
        defer { dir.cleanup() }
        let mixed = try store.gateEvents(ids: ["G-2"], vehicle: "渝F12345", from: night, to: night + 1000)
        #expect(mixed.map(\.event.id) == ["G-1", "G-2"])
        #expect(mixed[0] == StoredGateEvent(vehicleID: "渝F12345", event: chainRun().gateEvents[0].event))
        #expect(mixed[0].event.netT.map { ($0 * 10).rounded() } == 279)
        let b = try store.gateEvents(ids: ["G-3"], vehicle: "渝F67890")
        #expect(b.map(\.event.id) == ["G-3", "G-2"])
        #expect(b[0].event.plate == nil && b[0].event.rfid == "E2" && b[0].vehicleID == "渝F67890")
        #expect(try store.gateEvents(vehicle: "渝F67890", from: night + 7051, to: night + 9000).isEmpty)
    }

    @Test("The day's chain: tonnes discharged and received, facilities, rates, trips without manifest, companies, drivers", arguments: StoreBackend.allCases)
    func statistics(backend: StoreBackend) throws {
        let (store, dir) = try Self.store(chainRun(), backend)
        defer { dir.cleanup() }
        #expect(try store.hasManifests())
        #expect(try store.manifestDates() == [LocalDate(year: 2026, month: 11, day: 21), Self.day])
        let st = try store.chainStatistics(Self.day)
        #expect(st.manifestsOpened == 3 && st.manifestsClosed == 2)
        #expect(abs(st.closureRate - 2.0 / 3) < 1e-9)
        #expect(st.discharged == [.init(site: "S-01", wasteType: .demolition, tonnes: 30, manifests: 1),
                                  .init(site: "S-03", wasteType: .excavatedSoil, tonnes: 28, manifests: 1),
                                  .init(site: "S-01", wasteType: .excavatedSoil, tonnes: 20, manifests: 1)])
        // The trip that dumped outside any site and the one never unloaded receive nothing.
        #expect(st.received == [.init(site: "D-01", facility: .recycling, tonnes: 29, trips: 1),
                                .init(site: "D-02", facility: .landfill, tonnes: 19, trips: 1)])
        #expect(st.tonnesByFacility == [.landfill: 19, .recycling: 29, .sorting: 0, .backfill: 0])
        #expect(abs(st.recyclingRate - 29.0 / 48) < 1e-9)
        #expect(st.tripsWithoutManifest == 2)
        #expect(st.byCompany == [
            .init(name: "渝运公司", manifests: 1, closed: 1, flagged: 1, declaredT: 28, receivedT: 27.6,
                  tripsWithoutManifest: 2),
            .init(name: "渝达公司", manifests: 2, closed: 1, flagged: 1, declaredT: 50, receivedT: 29, tripsWithoutManifest: 0),
        ])
        #expect(st.byDriver.map(\.name) == ["DR-2", "DR-1"])
        #expect(st.byDriver.map(\.manifests) == [2, 1])

        let next = try store.chainStatistics(LocalDate(year: 2026, month: 11, day: 21))
        #expect(next.manifestsOpened == 1 && next.manifestsClosed == 0 && next.received.isEmpty)
        #expect(next.byCompany.map(\.name) == [CaseStore.unregisteredCompany])
        #expect(next.byDriver.map(\.name) == [CaseStore.noDriver])
    }

    @Test("A store without manifests (v1) has none to list and counts no trip as lacking one", arguments: StoreBackend.allCases)
    func v1Store(backend: StoreBackend) throws {
        let (store, dir) = try Self.store(sampleRun(), backend)
        defer { dir.cleanup() }
        #expect(try !store.hasManifests())
        #expect(try store.manifestPage(ManifestFilter(), offset: 0, limit: 50).isEmpty)
        #expect(try store.manifestDates().isEmpty)
        let st = try store.chainStatistics(Self.day)
        #expect(st.manifestsOpened == 0 && st.tripsWithoutManifest == 0 && st.closureRate == 0)
        #expect(st.byCompany.isEmpty && st.byDriver.isEmpty && st.discharged.isEmpty)
        #expect(try store.gateEvents(vehicle: "渝F12345").isEmpty)
    }
}

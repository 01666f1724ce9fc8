import Foundation
import Testing
import MuckWatchCore
import MuckWatchJudge
import MuckWatchGateway
import MuckWatchLive
import MuckWatchStore
import MuckWatchTestSupport

/// The engine's poll of the store for manifests and gate records (`ChainPoller`), without
/// sockets: a record imported into the store reaches the shard that owns its vehicle.
@Suite struct ChainPollingTests {
    @Test(arguments: StoreBackend.allCases) func manifestFromTheStoreIsJudgedByTheEngine(backend: StoreBackend) throws {
        let test = try TestStore(backend, prefix: "muckwatch-chain")
        defer { test.cleanup() }
        let refs = try GatewayFixture.references()
        let (store, engine) = try Self.engine(test, refs: refs)
        let plate = refs.vehicles[0].id
        let site = try #require(refs.fences.first { $0.kind == .constructionSite }).id
        // Opened now: the shards' timers judge due limits on the wall clock.
        let opened = CaseStore.systemNow()
        let m = Manifest(id: "M-1", vehicleID: plate, sourceSite: site, disposalSite: site, wasteType: .decoration,
                         declaredT: 9, openedAt: opened)
        _ = try store.importManifests([m], clock: refs.config.clock)

        engine.pollChain(at: opened + 60)
        #expect(engine.sync(plate: plate) { $0.cases }.isEmpty)
        // Six hours later (the shard's timer does this on the wall clock).
        let alerts = engine.sync(plate: plate) { $0.judgeDue(at: opened + refs.config.manifestCloseMaxS + 1) }
        #expect(alerts.map(\.types) == [[.manifestUnclosed]])
        let cases = engine.sync(plate: plate) { $0.cases }
        #expect(cases.map { $0.violations.map(\.type) } == [[.manifestUnclosed]])
        let counters = engine.finish()
        #expect(counters.storeErrors == 0)
        #expect(try store.listCases(CaseFilter()).map(\.caseID) == cases.map(\.id))
        let row = try test.database()
            .scalarText("SELECT state || ' ' || coalesce(case_id, '-') FROM manifests WHERE manifest_id = 'M-1'")
        #expect(row == "unclosed \(cases.first?.id ?? "")")
    }

    /// The test's store and an engine of two shards on it whose inbox (its own connection, the
    /// store's camera reads) the test polls.
    static func engine(_ test: TestStore, refs: References) throws -> (CaseStore, LiveEngine) {
        let store = try CaseStore(path: test.location)
        let partition = try LivePartition(references: refs, store: store, shards: 2)
        var options = LiveEngine.Options()
        options.chainPollEvery = .seconds(3600)  // polled by the test
        let inbox = ChainInbox(store: try CaseStore(path: test.location), tagOwners: refs.tagOwners,
                               cameras: partition.shards[0].cameras)
        return (store, LiveEngine(partition: partition, hub: AlertHub(clock: refs.config.clock), options: options,
                                  chain: inbox))
    }
}

/// The same poll brings camera reads ingested into the store (`ChainInbox.pollCameras`) to
/// every shard: a new id joins the reads judged with, a known id and an empty poll do not.
@Suite struct CameraPollingTests {
    @Test(arguments: StoreBackend.allCases) func cameraReadFromTheStoreReachesEveryShard(backend: StoreBackend) throws {
        let test = try TestStore(backend, prefix: "muckwatch-cameras")
        defer { test.cleanup() }
        let refs = try GatewayFixture.references()
        let (store, engine) = try ChainPollingTests.engine(test, refs: refs)
        let plates = refs.vehicles.map(\.id)
        let before = refs.cameras.count
        func counts() -> [Int] { plates.map { p in engine.sync(plate: p) { $0.cameras.count } } }
        let now = CaseStore.systemNow()
        let checkpoint = try #require(refs.fences.first { $0.kind == .checkpoint }).id
        let read = CameraEvent(id: "E-API-1", checkpointID: checkpoint, time: now - 60, plate: plates[0],
                               type: .spill, confidence: 0.9, image: nil)

        engine.pollChain(at: now)
        #expect(Set(counts()) == [before])
        _ = try store.writeCameraEvents([read], clock: refs.config.clock)
        engine.pollChain(at: now)
        #expect(Set(counts()) == [before + 1])
        var again = read
        again.type = .overload
        _ = try store.writeCameraEvents([again], clock: refs.config.clock)
        engine.pollChain(at: now)
        #expect(Set(counts()) == [before + 1])
        #expect(engine.sync(plate: plates[0]) { $0.cameras.events(plate: plates[0]).filter { $0.id == read.id }.map(\.type) }
                == [.spill])
        #expect(engine.finish().storeErrors == 0)
    }
}

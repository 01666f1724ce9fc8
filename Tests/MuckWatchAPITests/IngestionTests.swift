import Foundation
import Hummingbird
import HummingbirdTesting
import MuckWatchBatch
import MuckWatchCore
import MuckWatchStore
import MuckWatchTestSupport
import Testing

/// `POST /api/v1/manifests`, `/gate-events`, `/camera-events`: per-record answers, idempotent by
/// id, the records then in the store's chain inbox (which the gateway polls) or camera reads.
@Suite("API: ingestion")
struct IngestionTests {
    static let manifests = """
        {"manifest_id":"API-M-1","permit_id":"P-001","vehicle_id":"渝F00001","source_site":"S01","disposal_site":"D01","waste_type":"excavated_soil","declared_t":18,"opened_at":"2026-11-20T21:50:00+08:00"}

        {"manifest_id":"API-M-1","vehicle_id":"渝F00001","source_site":"S01","disposal_site":"D01","waste_type":"excavated_soil","declared_t":18,"opened_at":"2026-11-20T21:50:00+08:00"}
        {"manifest_id":"API-M-2","vehicle_id":"渝F00001","source_site":"S01","disposal_site":"D01","waste_type":"excavated_soil","declared_t":18}
        not json at all
        {"manifest_id":"API-M-3","vehicle_id":"渝F00002","source_site":"S02","disposal_site":"D01","waste_type":"demolition","declared_t":"12.5","opened_at":1795000000}

        """

    @Test(arguments: StoreBackend.allCases, [false, true])
    func manifestsAreAnsweredPerRecordAndIdempotent(backend: StoreBackend, live: Bool) async throws {
        let world = try await APIWorld.make(backend)
        defer { world.cleanup() }
        try await world.test(live: live) { client in
            let r = try await client.execute(uri: "/api/v1/manifests", method: .post, headers: world.headers("gates", ndjson: true),
                                             body: ByteBuffer(string: Self.manifests))
            #expect(r.status == .ok)
            let report = try json(r)
            let records = report["records"] as! [[String: Any]]
            #expect(records.map { $0["result"] as! String } == ["accepted", "duplicate", "rejected", "rejected", "accepted"])
            #expect(records.map { $0["record"] as! Int } == [1, 2, 3, 4, 5])
            #expect(records.map { $0["id"] as? String } == ["API-M-1", "API-M-1", "API-M-2", nil, "API-M-3"])
            #expect((records[2]["reason"] as? String)?.contains("opened_at") == true)
            #expect((records[3]["reason"] as? String)?.contains("not JSON") == true)
            #expect(report["accepted"] as? Int == 2 && report["duplicate"] as? Int == 1 && report["rejected"] as? Int == 2)
            // The same batch again, as a JSON array: nothing new.
            let again = try await client.execute(
                uri: "/api/v1/manifests", method: .post, headers: world.headers("gates", json: true),
                body: ByteBuffer(string: "[" + Self.manifests.split(separator: "\n").filter { $0.hasPrefix("{") }.joined(separator: ",") + "]"))
            #expect(again.status == .ok)
            let results = (try json(again)["records"] as! [[String: Any]]).map { $0["result"] as! String }
            #expect(results == ["duplicate", "duplicate", "rejected", "duplicate"])
        }
        // In the inbox the gateway polls, as `muckwatch import` writes it.
        let inbox = try world.store().chainChanges(after: ChainCursor())
        let ids = Set(inbox.manifests.map(\.id))
        #expect(ids.isSuperset(of: ["API-M-1", "API-M-3"]) && !ids.contains("API-M-2"))
        #expect(inbox.manifests.first { $0.id == "API-M-3" }?.declaredT == 12.5)
        let audit = try world.store().ingestionAudits()
        #expect(audit.map(\.actor) == ["token:gates", "token:gates"])
        #expect(audit.first?.accepted == ["API-M-1", "API-M-3"])
        #expect(audit.last?.accepted == [])
    }

    @Test(arguments: StoreBackend.allCases, [false, true])
    func gateEventsNeedAVehicleAndAChangedRecordReplacesItsID(backend: StoreBackend, live: Bool) async throws {
        let world = try await APIWorld.make(backend)
        defer { world.cleanup() }
        let events = [
            #"{"event_id":"API-G-1","site":"S01","time":"2026-11-20T22:14:05+08:00","direction":"out","plate":"渝F00001","gross_t":31.2}"#,
            #"{"event_id":"API-G-2","site":"S01","time":"2026-11-20T22:15:05+08:00","direction":"out","rfid":"TAG-NOBODY"}"#,
            #"{"event_id":"API-G-3","site":"S01","time":"2026-11-20T22:16:05+08:00","direction":"sideways","plate":"渝F00001"}"#,
            #"[1,2]"#,
        ]
        try await world.test(live: live) { client in
            let r = try await client.execute(uri: "/api/v1/gate-events", method: .post, headers: world.headers("gates", ndjson: true),
                                             body: ByteBuffer(string: events.joined(separator: "\n")))
            let records = try json(r)["records"] as! [[String: Any]]
            #expect(records.map { $0["result"] as! String } == ["accepted", "rejected", "rejected", "rejected"])
            #expect((records[1]["reason"] as? String)?.contains("TAG-NOBODY") == true)
            #expect((records[2]["reason"] as? String)?.contains("direction") == true)
            // A corrected weighing of the same pass replaces it.
            let fixed = events[0].replacingOccurrences(of: "31.2", with: "30.9")
            let again = try await client.execute(uri: "/api/v1/gate-events", method: .post,
                                                 headers: world.headers("gates", json: true), body: ByteBuffer(string: "[\(fixed)]"))
            #expect((try json(again)["records"] as! [[String: Any]]).map { $0["result"] as! String } == ["accepted"])
        }
        let passes = try world.store().gateEvents(ids: ["API-G-1", "API-G-2"])
        #expect(passes.map(\.event.grossT) == [30.9])
    }

    @Test(arguments: StoreBackend.allCases, [false, true])
    func cameraEventsAreStoredAsReads(backend: StoreBackend, live: Bool) async throws {
        let world = try await APIWorld.make(backend)
        defer { world.cleanup() }
        let body = """
            [{"event_id":"API-C-1","checkpoint_id":"K3","time":"2026-11-20T22:40:00+08:00","plate":"渝F00001","type":"unsealed","confidence":0.93,"image":"img/API-C-1.jpg"},
             {"event_id":"API-C-2","checkpoint_id":"K3","time":"2026-11-20T22:41:00+08:00","plate":"渝F00001","type":"unsealed","confidence":1.7},
             {"event_id":"API-C-3","checkpoint_id":"K4","time":1795000000,"plate":"渝F00002","type":"spill","confidence":"0.5"}]
            """
        try await world.test(live: live) { client in
            let r = try await client.execute(uri: "/api/v1/camera-events", method: .post, headers: world.headers("gates", json: true),
                                             body: ByteBuffer(string: body))
            #expect(r.status == .ok)
            let records = try json(r)["records"] as! [[String: Any]]
            #expect(records.map { $0["result"] as! String } == ["accepted", "rejected", "accepted"])
            #expect((records[1]["reason"] as? String)?.contains("confidence") == true)
            let again = try await client.execute(uri: "/api/v1/camera-events", method: .post,
                                                 headers: world.headers("gates", json: true), body: ByteBuffer(string: body))
            #expect((try json(again)["records"] as! [[String: Any]]).map { $0["result"] as! String } == ["duplicate", "rejected", "duplicate"])
        }
        let reads = try world.store().cameraEvents(ids: ["API-C-1", "API-C-2", "API-C-3"])
        #expect(reads.map(\.id) == ["API-C-1", "API-C-3"])
        #expect(reads.first?.image == "img/API-C-1.jpg")
    }

    /// What the API stored is judged by the next `analyze` into that store: a camera read
    /// becomes a case's evidence, a manifest one of the run's, and both are then the run's own.
    @Test(arguments: StoreBackend.allCases) func theNextAnalyzeIntoTheStoreJudgesWhatWasIngested(backend: StoreBackend) async throws {
        let world = try await APIWorld.make(backend)
        defer { world.cleanup() }
        try await world.test(live: false) { client in
            let camera = #"[{"event_id":"API-C-9","checkpoint_id":"KK-07","time":"2026-11-20T23:00:00+08:00","plate":"渝F64468","type":"spill","confidence":0.99}]"#
            let manifest = #"[{"manifest_id":"API-M-9","vehicle_id":"渝F64468","source_site":"S-01","disposal_site":"D-01","waste_type":"excavated_soil","declared_t":20,"opened_at":"2026-11-20T23:30:00+08:00"}]"#
            for (path, body) in [("/api/v1/camera-events", camera), ("/api/v1/manifests", manifest)] {
                let r = try await client.execute(uri: path, method: .post, headers: world.headers("gates", json: true),
                                                 body: ByteBuffer(string: body))
                #expect((try json(r)["records"] as! [[String: Any]]).map { $0["result"] as! String } == ["accepted"])
            }
        }
        #expect(try world.store().unreadCameraEvents().map(\.id) == ["API-C-9"])
        #expect(try world.store().unreadChain().manifests.map(\.id) == ["API-M-9"])
        var o = AnalysisOptions(references: BundledSample.references(chain: true), traces: [BundledSample.traces], out: world.dir)
        o.store = world.db
        let run = try await BlockingSetup.run { [o] in try Analysis.run(o) }
        #expect(run.cases.contains { c in c.violations.contains { $0.evidence.cameraEvents.contains("API-C-9") } })
        #expect(run.manifests.contains { $0.manifest.id == "API-M-9" })
        let (dir, db) = (world.dir, world.db)
        try await BlockingSetup.run { try Analysis.write(run, to: dir, store: db) }
        #expect(try world.store().unreadChain().manifests.isEmpty)
        #expect(try world.store().unreadCameraEvents().isEmpty)
    }

    @Test(arguments: StoreBackend.allCases) func aBodyThatIsNoJSONAtAllIs400(backend: StoreBackend) async throws {
        let world = try await APIWorld.make(backend)
        defer { world.cleanup() }
        try await world.test(live: false) { client in
            for (body, ndjson) in [("plate,time\nA,1\n", true), ("[1,", true), ("{}", false)] {
                let r = try await client.execute(uri: "/api/v1/manifests", method: .post,
                                                 headers: world.headers("gates", json: !ndjson, ndjson: ndjson),
                                                 body: ByteBuffer(string: body))
                #expect(r.status == .badRequest, "\(body)")
                #expect(try json(r)["field"] as? String == "body", "\(body): \(r.text)")
            }
        }
    }
}

/// Bodies the ingestion endpoints refuse whole: too large, or of a type the document does not list.
@Suite("API: ingestion bodies refused whole")
struct IngestionBodyTests {
    @Test(arguments: StoreBackend.allCases) func aBodyOverTheLimitIs413AndNothingIsWritten(backend: StoreBackend) async throws {
        let world = try await APIWorld.make(backend)
        defer { world.cleanup() }
        let line = #"{"event_id":"BIG","checkpoint_id":"K3","time":"2026-11-20T22:40:00+08:00","plate":"渝F00001","type":"pass","confidence":0.9}"#
        let body = String(repeating: line + "\n", count: (16 << 20) / line.utf8.count + 10)
        try await world.test(live: false) { client in
            let r = try await client.execute(uri: "/api/v1/camera-events", method: .post,
                                             headers: world.headers("gates", ndjson: true), body: ByteBuffer(string: body))
            #expect(r.status == .contentTooLarge)
            #expect(try json(r)["field"] as? String == "body")
            // A JSON array too, which the generated stub would otherwise read whole.
            let array = "[" + String(repeating: line + ",", count: (16 << 20) / line.utf8.count + 10) + line + "]"
            let a = try await client.execute(uri: "/api/v1/camera-events", method: .post,
                                             headers: world.headers("gates", json: true), body: ByteBuffer(string: array))
            #expect(a.status == .contentTooLarge)
        }
        #expect(try world.store().unreadCameraEvents().isEmpty)
    }

    @Test(arguments: StoreBackend.allCases) func anUndocumentedContentTypeIs400NamingIt(backend: StoreBackend) async throws {
        let world = try await APIWorld.make(backend)
        defer { world.cleanup() }
        try await world.test(live: false) { client in
            var headers = world.headers("gates")
            headers[.contentType] = "text/csv"
            let r = try await client.execute(uri: "/api/v1/manifests", method: .post, headers: headers,
                                             body: ByteBuffer(string: "manifest_id\nM-1\n"))
            #expect(r.status == .badRequest, "\(r.text)")
            #expect(try json(r)["field"] as? String == "Content-Type", "\(r.text)")
        }
    }
}

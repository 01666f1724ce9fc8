import Foundation
import Testing
import MuckWatchCore
import MuckWatchIngest
import MuckWatchLive
import MuckWatchBatch
import MuckWatchStore
import MuckWatchJudge

/// Manifests and gate records judged live (contract section 12): they reach the analysis
/// through the store (`ChainInbox`), and a case appears as soon as its rule can be decided.
@Suite struct ChainLiveTests {
    /// A store in a temp dir, the gateway's inbox on its own connection, and a clock.
    struct World {
        let dir = SampleReplay.tempDir()
        let store: CaseStore
        let inbox: ChainInbox
        let refs: References

        init(config: String? = nil) throws {
            var refs = try SampleReplay.references()
            if let config { refs.config = try ConfigReader.read(path: config) }
            self.refs = refs
            store = try CaseStore(path: dir + "/live.sqlite")
            inbox = ChainInbox(store: try CaseStore(path: dir + "/live.sqlite"), tagOwners: refs.tagOwners)
        }

        /// Imports manifests, polls the inbox and hands the analysis what changed.
        func deliver(_ manifests: [Manifest], to live: LiveAnalysis, at now: Int64) throws -> [LiveAlert] {
            _ = try store.importManifests(manifests, clock: refs.config.clock)
            let plates = try inbox.poll(at: now)
            return live.updateChain(inbox.chain, plates: plates, at: now)
        }

        func manifestRow(_ id: String) throws -> String? {
            try Database(path: store.path, flags: Database.readOnly)
                .scalarText("SELECT state || ' ' || ifnull(case_id, '-') FROM manifests WHERE manifest_id = '\(id)'")
        }

        func cleanup() { try? FileManager.default.removeItem(atPath: dir) }
    }

    /// An open manifest becomes `manifest_unclosed` once the live clock passes its opening
    /// plus `manifest_close_max_s`, without any fix of its truck; not a second before.
    @Test func unclosedManifestBecomesACaseWhenItsLimitPasses() throws {
        let world = try World()
        defer { world.cleanup() }
        let live = try LiveAnalysis(references: world.refs, store: world.store)
        let site = try #require(world.refs.fences.first { $0.kind == .constructionSite }).id
        let dump = try #require(world.refs.fences.first { $0.kind == .disposalSite }).id
        let opened: Int64 = 1_795_183_200
        let m = Manifest(id: "M-U", vehicleID: "渝TEST01", sourceSite: site, disposalSite: dump,
                         wasteType: .excavatedSoil, declaredT: 20, openedAt: opened)
        #expect(try world.deliver([m], to: live, at: opened + 60).isEmpty)
        live.flush()
        #expect(try world.manifestRow("M-U") == "open -")

        let limit = world.refs.config.manifestCloseMaxS
        #expect(live.judgeDue(at: opened + limit - 1).isEmpty)
        #expect(live.judgeDue(at: opened + limit).isEmpty)
        #expect(live.cases.isEmpty)
        let alerts = live.judgeDue(at: opened + limit + 1)
        #expect(alerts.map(\.types) == [[.manifestUnclosed]])
        #expect(alerts.first?.isNewCase == true)
        #expect(live.judgeDue(at: opened + limit + 600).isEmpty)  // judged once
        live.flush()
        let caseID = try #require(alerts.first?.caseID)
        #expect(try world.manifestRow("M-U") == "unclosed \(caseID)")
        #expect(try world.store.listCases(CaseFilter()).map(\.caseID) == [caseID])
    }

    /// A manifest closed at a site other than where its trip unloaded: nothing while it is
    /// open, `manifest_mismatch` the moment its closing reaches the store.
    @Test func mismatchAppearsWhenTheClosingArrives() throws {
        let world = try World()
        defer { world.cleanup() }
        let dir = SampleReplay.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (batch, _) = try SampleReplay.batchAndLiveOptions(out: dir)
        let trip = try #require(batch.trips.first { $0.sourceSite != nil && $0.disposalSite != nil })
        let plate = batch.plates[trip.vehicle]
        let elsewhere = try #require(world.refs.fences.first { $0.kind == .disposalSite && $0.id != trip.disposalSite }).id

        var options = LiveAnalysis.Options()
        options.epsg = batch.record.projectionEPSG
        options.trimHistory = false
        let live = try LiveAnalysis(references: world.refs, store: world.store, options: options)
        let v = live.vehicle(addingPlate: plate)
        let (fixes, readPlates) = try SampleReplay.fixes()
        let mine = fixes.filter { readPlates[$0.vehicle] == plate }.sorted { $0.time < $1.time }.map { f -> Fix in
            var g = f
            g.vehicle = v
            return g
        }
        var m = Manifest(id: "M-X", vehicleID: plate, sourceSite: trip.sourceSite!, disposalSite: trip.disposalSite!,
                         wasteType: .excavatedSoil, declaredT: 20, openedAt: trip.loadedAt + 60)
        var alerts = try world.deliver([m], to: live, at: mine[0].time)
        // The truck's fixes up to half an hour after it unloaded: its trip is closed and judged.
        let closedAt = try #require(trip.dumpedAt)
        let now = closedAt + 1800
        for f in mine where f.time <= now { alerts += live.feed([f], at: f.time) }
        alerts += live.releaseQuiet(at: now)
        #expect(!alerts.contains { $0.types.contains(.manifestMismatch) })
        live.flush()
        let row = try world.manifestRow("M-X")
        #expect(row?.hasPrefix("open ") == true, "\(String(describing: row))")

        m.closedAt = closedAt
        m.closedSite = elsewhere
        let closing = try world.deliver([m], to: live, at: now)
        #expect(closing.map(\.types) == [[.manifestMismatch]])
        live.flush()
        let caseID = try #require(closing.first?.caseID)
        #expect(try world.manifestRow("M-X") == "mismatched \(caseID)")
        let stored = try #require(try world.store.loadCase(id: caseID))
        #expect(stored.violations.contains { $0.type == .manifestMismatch })
    }

    /// The sample night with manifests made from its trips (some closed elsewhere, some
    /// never, some light on arrival) and the source gates' weighings (some tares off),
    /// the records delivered through the store and the fixes
    /// fed with a clock that follows them: the batch run's trips, cases and manifest
    /// states, with history trimmed along the way as usual.
    @Test func sampleNightWithManifestsEqualsBatch() throws {
        let dir = SampleReplay.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let plain = try Analysis.run(SampleReplay.options(out: dir + "/plain"))
        let clock = LocalClock.shanghai
        let disposal = try SampleReplay.references().fences.filter { $0.kind == .disposalSite }.map(\.id)
        var lines: [String] = []
        var gates: [String] = []
        for (k, t) in plain.trips.enumerated() {
            guard let source = t.sourceSite else { continue }
            var o: [String: Any] = ["manifest_id": "M-\(k)", "vehicle_id": plain.plates[t.vehicle], "source_site": source,
                                    "disposal_site": t.disposalSite ?? disposal[0], "waste_type": "excavated_soil",
                                    "declared_t": 25.0, "opened_at": clock.format(t.loadedAt + 60)]
            if k % 5 != 4, let dumped = t.dumpedAt {
                o["closed_at"] = clock.format(dumped + 30)
                o["closed_site"] = k % 3 == 0 ? disposal.first { $0 != t.disposalSite }! : (t.disposalSite ?? disposal[0])
                o["received_t"] = k % 4 == 1 ? 17.0 : 24.5
            }
            let data = try JSONSerialization.data(withJSONObject: o, options: [.sortedKeys])
            lines.append(String(decoding: data, as: UTF8.self))
            // The source gate's weighbridge as the truck left (every sixth tare off).
            let gate: [String: Any] = ["event_id": "G-\(k)", "site": source, "time": clock.format(t.loadedAt + 30),
                                       "direction": "out", "plate": plain.plates[t.vehicle], "manifest_id": "M-\(k)",
                                       "gross_t": 40.0, "tare_t": k % 6 == 5 ? 19.0 : 15.0]
            gates.append(String(decoding: try JSONSerialization.data(withJSONObject: gate, options: [.sortedKeys]),
                                as: UTF8.self))
        }
        try #require(lines.count >= 5)
        try lines.joined(separator: "\n").write(toFile: dir + "/manifests.jsonl", atomically: true, encoding: .utf8)
        try gates.joined(separator: "\n").write(toFile: dir + "/gates.jsonl", atomically: true, encoding: .utf8)
        try #"{"manifest_close_max_s": 3600}"#.write(toFile: dir + "/config.json", atomically: true, encoding: .utf8)

        var o = SampleReplay.options(out: dir + "/batch")
        o.manifests = dir + "/manifests.jsonl"
        o.gateEvents = dir + "/gates.jsonl"
        o.config = dir + "/config.json"
        let batch = try Analysis.run(o)
        #expect(batch.cases.contains { $0.violations.contains { $0.type == .weightDiscrepancy } })
        #expect(batch.cases.contains { $0.violations.contains { $0.type == .tareAnomaly } })
        #expect(batch.cases.contains { $0.violations.contains { $0.type == .manifestUnclosed } })
        #expect(batch.cases.contains { $0.violations.contains { $0.type == .manifestMismatch } })

        let world = try World(config: dir + "/config.json")
        defer { world.cleanup() }
        var options = LiveAnalysis.Options()
        options.epsg = batch.record.projectionEPSG
        options.reorderWindowSeconds = 3600
        let live = try LiveAnalysis(references: world.refs, store: world.store, options: options)
        var rejects: [Reject] = []
        let manifests = try ManifestReader.read(path: dir + "/manifests.jsonl", rejects: &rejects)
        let gateEvents = try GateEventReader.read(path: dir + "/gates.jsonl", rejects: &rejects)
        _ = try world.store.importGateEvents(gateEvents.map { ($0.plate!, $0) }, clock: world.refs.config.clock)
        let (fixes, readPlates) = try SampleReplay.fixes()
        var now = fixes.map(\.time).min()!
        _ = try world.deliver(manifests, to: live, at: now)
        var mapped = [Int32](repeating: -1, count: readPlates.count)
        for chunk in stride(from: 0, to: fixes.count, by: 500) {
            var part = Array(fixes[chunk..<min(chunk + 500, fixes.count)])
            for i in part.indices {
                let r = Int(part[i].vehicle)
                if mapped[r] < 0 { mapped[r] = live.vehicle(addingPlate: readPlates[part[i].vehicle]) }
                part[i].vehicle = mapped[r]
                now = max(now, part[i].time)
            }
            _ = live.feed(part, at: now)
            _ = live.judgeDue(at: now)
            live.flush()
        }
        _ = live.finish(at: fixes.map(\.time).max()!)
        #expect(live.counters.storeErrors == 0, "\(String(describing: live.lastStoreError))")

        #expect(live.trips.map { SampleReplay.key($0, live.plates) }.sorted()
                == batch.trips.map { SampleReplay.key($0, batch.plates) }.sorted())
        let batchByID = Dictionary(uniqueKeysWithValues: batch.cases.map { ($0.id, $0) })
        #expect(live.cases.map(\.id).sorted() == batchByID.keys.sorted())
        for c in live.cases {
            #expect(c.violations.map(\.type) == batchByID[c.id]?.violations.map(\.type), "\(c.id)")
        }
        #expect(try world.store.listCases(CaseFilter()).map(\.caseID).sorted() == batchByID.keys.sorted())
        for e in batch.manifests {
            let want = "\(e.state.rawValue) \(e.caseID ?? "-")"
            #expect(try world.manifestRow(e.manifest.id) == want, "\(e.manifest.id)")
        }
    }
    /// Over a partition every shard gets every record, and each manifest is judged by the
    /// one shard its vehicle's fixes go to: one case per manifest, not one per shard.
    @Test func eachManifestIsJudgedByItsVehiclesShard() throws {
        let world = try World()
        defer { world.cleanup() }
        let partition = try LivePartition(references: world.refs, store: nil, shards: 3)
        let site = try #require(world.refs.fences.first { $0.kind == .constructionSite }).id
        let opened: Int64 = 1_795_183_200
        // Registered and not (a registered plate is in every shard's table, the others only in their own).
        let plates = (world.refs.vehicles.prefix(3).map(\.id) + (0..<3).map { "渝TEST0\($0)" }).sorted()
        let manifests = plates.enumerated().map { k, plate in
            Manifest(id: "M-\(k)", vehicleID: plate, sourceSite: site, disposalSite: site, wasteType: .demolition,
                     declaredT: 12, openedAt: opened)
        }
        _ = try world.store.importManifests(manifests, clock: world.refs.config.clock)
        let touched = try world.inbox.poll(at: opened)
        #expect(touched == Set(plates))
        let due = opened + world.refs.config.manifestCloseMaxS + 1
        var judgedBy: [String: Int] = [:]
        for (k, live) in partition.shards.enumerated() {
            // (A registered truck's camera reads are judged with it: not what this test counts.)
            #expect(!live.updateChain(world.inbox.chain, plates: touched, at: opened).contains { $0.types.contains(.manifestUnclosed) })
            for a in live.judgeDue(at: due) {
                #expect(a.types == [.manifestUnclosed])
                #expect(judgedBy.updateValue(k, forKey: a.vehicleID) == nil, "\(a.vehicleID) judged twice")
                #expect(LivePartition.shard(plate: a.vehicleID, count: 3) == k)
            }
        }
        #expect(judgedBy.keys.sorted() == plates)
        // At the end too, each vehicle's records are judged by its shard alone.
        for live in partition.shards { _ = live.finish() }
        let unclosed = partition.shards.flatMap(\.cases).filter { $0.violations.contains { $0.type == .manifestUnclosed } }
        #expect(unclosed.map(\.vehicleID).sorted() == plates)
        #expect(Set(partition.shards.flatMap(\.cases).map(\.id)).count == partition.shards.flatMap(\.cases).count)
        // Nothing new arrived: a poll touches no one.
        #expect(try world.inbox.poll(at: due).isEmpty)
    }
}

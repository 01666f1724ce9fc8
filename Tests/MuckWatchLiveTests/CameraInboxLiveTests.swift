import Foundation
import Testing
import MuckWatchCore
import MuckWatchLive
import MuckWatchStore
import MuckWatchJudge

/// Camera reads that reach a running live analysis through the store (the integration
/// API's `POST /api/v1/camera-events`), polled by `ChainInbox.pollCameras`: they make the
/// cases they make in the `--cameras` file.
@Suite struct CameraInboxLiveTests {
    /// One truck of the sample night, a read of it `unsealed` in the middle of its first
    /// trip, and the truck's fixes (vehicle indices of an analysis of `refs`).
    struct Night {
        let refs: References
        let plate: String
        let read: CameraEvent
        let fixes: [Fix]

        init() throws {
            let dir = SampleReplay.tempDir()
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let (batch, _) = try SampleReplay.batchAndLiveOptions(out: dir)
            refs = try SampleReplay.references()
            let trip = try #require(batch.trips.first { $0.dumpedAt != nil })
            let plate = batch.plates[trip.vehicle]
            self.plate = plate
            let checkpoint = try #require(refs.fences.first { $0.kind == .checkpoint }).id
            read = CameraEvent(id: "E-LATE-1", checkpointID: checkpoint, time: (trip.loadedAt + trip.dumpedAt!) / 2,
                               plate: plate, type: .unsealed, confidence: 0.95, image: "snapshots/E-LATE-1.jpg")
            let (all, readPlates) = try SampleReplay.fixes()
            fixes = all.filter { readPlates[$0.vehicle] == plate }.sorted { $0.time < $1.time }
        }

        /// `fixes` with their vehicle index in `live`.
        func fixes(for live: LiveAnalysis) -> [Fix] {
            let v = live.vehicle(addingPlate: plate)
            return fixes.map { f in
                var g = f
                g.vehicle = v
                return g
            }
        }
    }

    /// The read in the store after the analysis started and polled: the same cases (ids,
    /// violation types) as the read in the file from the start, an alert for it at the
    /// poll, and the read stored as the case's evidence.
    @Test func readFromTheStoreMakesTheCaseTheFileMakes() throws {
        let night = try Night()
        var options = LiveAnalysis.Options()
        options.trimHistory = false

        var withRead = night.refs
        withRead.cameras = night.refs.cameras.adding([night.read])
        let fromFile = try LiveAnalysis(references: withRead, options: options)
        for f in night.fixes(for: fromFile) { _ = fromFile.feed([f], at: f.time) }
        _ = fromFile.finish(at: night.fixes.last!.time + 60)
        let expected = fromFile.cases.filter { $0.vehicleID == night.plate }
        #expect(expected.contains { $0.violations.contains { $0.type == .unsealed && $0.start == night.read.time } })

        let dir = SampleReplay.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try CaseStore(path: dir + "/live.sqlite")
        let inbox = ChainInbox(store: try CaseStore(path: dir + "/live.sqlite"), tagOwners: night.refs.tagOwners,
                               cameras: night.refs.cameras)
        let live = try LiveAnalysis(references: night.refs, store: store, options: options)
        let fixes = night.fixes(for: live)
        let half = fixes.filter { $0.time <= night.read.time + 600 }
        for f in half { _ = live.feed([f], at: f.time) }
        let now = half.last!.time
        #expect(try inbox.pollCameras(at: now).isEmpty)

        #expect(try store.writeCameraEvents([night.read], clock: night.refs.config.clock) == [true])
        let plates = try inbox.pollCameras(at: now)
        #expect(plates == [night.plate])
        #expect(inbox.cameras.count == night.refs.cameras.count + 1)
        let alerts = live.updateCameras(inbox.cameras, plates: plates, at: now)
        #expect(alerts.contains { $0.vehicleID == night.plate && $0.types.contains(.unsealed) })
        #expect(live.cases.contains { $0.violations.contains { $0.evidence.cameraEvents.contains(night.read.id) } })

        for f in fixes where f.time > now { _ = live.feed([f], at: f.time) }
        _ = live.finish(at: night.fixes.last!.time + 60)
        let got = live.cases.filter { $0.vehicleID == night.plate }
        #expect(got.map(\.id) == expected.map(\.id))
        #expect(got.map { $0.violations.map(\.type) } == expected.map { $0.violations.map(\.type) })
        // The read is the case's evidence in the store, under the live run (no longer unread).
        let caseID = try #require(got.first { $0.violations.contains { $0.type == .unsealed } }?.id)
        let stored = try #require(try store.loadCase(id: caseID))
        #expect(stored.violations.contains { $0.evidence.cameraEvents.contains(night.read.id) })
        #expect(try store.cameraEvents(ids: [night.read.id]).map(\.type) == [.unsealed])
        #expect(try store.unreadCameraEvents().isEmpty)
    }

    /// A read whose id the analysis already has (from the file, or an earlier poll) is not
    /// taken again, whatever it says; a poll with nothing new changes nothing.
    @Test func knownIDsAndEmptyPollsChangeNothing() throws {
        let night = try Night()
        let dir = SampleReplay.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try CaseStore(path: dir + "/live.sqlite")
        let inbox = ChainInbox(store: try CaseStore(path: dir + "/live.sqlite"), tagOwners: night.refs.tagOwners,
                               cameras: night.refs.cameras)
        let clock = night.refs.config.clock
        let now = night.read.time + 600
        let fileRead = try #require(night.refs.cameras.allEvents.first)
        let before = night.refs.cameras.count

        var forged = fileRead
        forged.type = .spill
        forged.time = now
        #expect(try store.writeCameraEvents([forged], clock: clock) == [true])
        #expect(try inbox.pollCameras(at: now).isEmpty)
        #expect(inbox.cameras.count == before)
        #expect(inbox.knownCameraReads == 1)

        #expect(try store.writeCameraEvents([night.read], clock: clock) == [true])
        #expect(try inbox.pollCameras(at: now) == [night.plate])
        var again = night.read
        again.confidence = 0.99  // the same id sent again, changed: a new row, a known id
        #expect(try store.writeCameraEvents([again], clock: clock) == [true])
        #expect(try inbox.pollCameras(at: now).isEmpty)
        #expect(inbox.cameras.count == before + 1)
        #expect(inbox.cameras.events(plate: night.plate).filter { $0.id == night.read.id }.map(\.confidence) == [0.95])
        #expect(inbox.knownCameraReads == 2)

        // Nothing new: the analysis given an empty poll judges nothing and alerts nothing.
        let live = try LiveAnalysis(references: night.refs)
        for f in night.fixes(for: live) { _ = live.feed([f], at: f.time) }
        let cases = live.cases
        let evaluations = live.counters.evaluations
        let seen = try inbox.pollCameras(at: now)
        #expect(seen.isEmpty)
        #expect(live.updateCameras(inbox.cameras, plates: seen, at: now).isEmpty)
        #expect(live.cases == cases)
        #expect(live.counters.evaluations == evaluations)
    }
}

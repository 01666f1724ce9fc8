import Foundation
import Testing
import MuckWatchCore
import MuckWatchGateway
import MuckWatchJournal
import MuckWatchJT808
import MuckWatchLive
import MuckWatchTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The gateway with `--journal`: acks after the commit, resends not doubled, disk full.
@Suite(.serialized) struct JournalGatewayTests {
    /// Every journaled fix of the fixture's journal, as (plate, time).
    static func journaled(_ dir: String) throws -> [(plate: String, time: Int64)] {
        var out: [(String, Int64)] = []
        for (_, day) in JournalDay.days(in: dir) {
            var plates = PlateTable()
            var entries: [JournalEntry] = []
            _ = try JournalReader.fixes(day: day, plates: &plates, entries: &entries)
            out += entries.map { (plates[$0.fix.vehicle], $0.fix.time) }
        }
        return out
    }

    @Test func eachAckLeavesAfterItsFixIsOnDisk() throws {
        var o = JournalWriter.Options()
        o.commitInterval = 0.05
        let g = try GatewayFixture(journal: o)
        let (socket, plate, phone) = try g.loggedIn(0)
        let fixes = Array(try GatewayFixture.fixes(of: plate).prefix(30))
        for f in fixes {
            socket.send(g.location(phone, f))
            let ack = try #require(socket.frames(1).first?.generalAck)
            #expect(ack.result == 0)
            // The ack is out: the fix must already be durable in the journal.
            #expect(try Self.journaled(g.dir + "/journal").contains { $0.plate == plate && $0.time == f.time })
        }
        // The same fixes again, as a blind-area upload: acked, not journaled twice.
        socket.send(g.batch(phone, Array(fixes.suffix(10))))
        #expect(socket.frames(1).first?.generalAck?.result == 0)
        let all = try Self.journaled(g.dir + "/journal")
        #expect(all.count == 30)
        #expect(g.server.configuration.journal?.status.repeats == 10)
        #expect(g.server.engine.counters.fixes == 30)
    }

    @Test func pipelinedTerminalsHaveEachFixAnalyzedOnceAfterItsCommit() throws {
        var o = JournalWriter.Options()
        o.commitInterval = 0.01
        let g = try GatewayFixture(journal: o)
        var sessions: [(socket: TestSocket, phone: JT808Phone, fixes: [Fix])] = []
        for k in 0..<6 {
            let (socket, plate, phone) = try g.loggedIn(k)
            sessions.append((socket, phone, Array(try GatewayFixture.fixes(of: plate).prefix(150))))
        }
        // In rounds a few ms apart (pacing, not synchronisation), so reads keep arriving
        // while commits complete: a loop then holds fixes not yet journaled when one completes.
        for round in 0..<15 {
            for s in sessions {
                for f in s.fixes[(round * 10)..<(round * 10 + 10)] { s.socket.send(g.location(s.phone, f)) }
            }
            usleep(3000)
        }
        for s in sessions { #expect(s.socket.frames(s.fixes.count).allSatisfy { $0.generalAck?.result == 0 }) }
        let journaled = try Self.journaled(g.dir + "/journal").count
        let c = g.server.engine.counters
        // Analyzed exactly what was journaled: nothing before its commit, nothing twice.
        #expect(c.fixes == journaled)
        #expect(c.late == 0)
        #expect(journaled + (g.server.configuration.journal?.status.repeats ?? 0) == sessions.reduce(0) { $0 + $1.fixes.count })
    }

    @Test func aRestartReplaysTheOpenDayIntoTheAnalysis() throws {
        let journal = NSTemporaryDirectory() + "muckwatch-journal-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: journal) }
        let o = JournalWriter.Options()
        var plate = "", sent: [Fix] = []
        do {
            let g = try GatewayFixture(journal: o, journalDir: journal)
            let (socket, p, phone) = try g.loggedIn(1)
            plate = p
            sent = Array(try GatewayFixture.fixes(of: plate).prefix(200))
            for f in sent { socket.send(g.location(phone, f)) }
            #expect(socket.frames(200).count == 200)
        }
        let g = try GatewayFixture(journal: o, journalDir: journal)
        // Before any terminal connected, the vehicle's analyzer holds the 200 fixes again.
        #expect(g.server.engine.counters.fixes == 200)
        let (socket, _, phone) = try g.loggedIn(1)
        socket.send(g.batch(phone, Array(sent.suffix(5))))
        #expect(socket.frames(1).first?.generalAck?.result == 0)
        #expect(try Self.journaled(journal).count == 200)
    }
}

/// A journal on a filesystem too small for it: acks stop, `/readyz`'s reason is set, and
/// once space is freed the resent fixes are acknowledged and journaled exactly once.
@Suite(.serialized) struct JournalDiskFullTests {
    static func mount(_ dir: String, bytes: Int) -> Bool {
        (try? BuiltBinary.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(bytes)", "tmpfs", dir]).status) == 0
    }

    @Test(.enabled(if: getuid() == 0, "mounting a small tmpfs needs root"))
    func acksStopWhenTheDiskIsFullAndResumeWithoutLossOnceFreed() throws {
        let mountPoint = NSTemporaryDirectory() + "muckwatch-full-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: mountPoint) }
        try #require(Self.mount(mountPoint, bytes: 256 << 10), "mount -t tmpfs failed")
        defer { _ = try? BuiltBinary.run("/bin/umount", [mountPoint]) }
        var o = JournalWriter.Options()
        o.retryEvery = 0.2
        let g = try GatewayFixture(journal: o, journalDir: mountPoint + "/journal")
        let (socket, plate, phone) = try g.loggedIn(2, timeout: 2)
        let fixes = Array(try GatewayFixture.fixes(of: plate).prefix(400))
        // The sample repeats a fix (same time and place): acked, journaled and analyzed once.
        let distinct = fixes.enumerated().filter { k, f in
            !fixes[..<k].contains { $0.time == f.time && $0.lon == f.lon && $0.lat == f.lat }
        }.map(\.element)
        // Fill the filesystem but for ~8 KB: about a hundred records fit.
        let filler = mountPoint + "/filler"
        let free = try FileManager.default.attributesOfFileSystem(forPath: mountPoint)[.systemFreeSize] as! Int
        FileManager.default.createFile(atPath: filler, contents: Data(count: free - 8192))

        var acked: [Fix] = []
        var unacked: [Fix] = []
        for f in fixes {
            socket.send(g.location(phone, f))
            if socket.frames(1).first?.generalAck?.result == 0 { acked.append(f) } else { unacked.append(f); break }
        }
        #expect(!unacked.isEmpty, "the journal never filled up")
        let failure = try #require(g.server.configuration.journal?.status.failure)
        #expect(failure.errno == ENOSPC)
        #expect(failure.description.contains("No space left"))
        // While full, nothing is acknowledged.
        socket.send(g.location(phone, fixes[acked.count + 1]))
        #expect(socket.frames(1).isEmpty)
        #expect(g.server.engine.counters.fixes == distinct.filter { f in acked.contains { $0.time == f.time && $0.lon == f.lon && $0.lat == f.lat } }.count)

        // Space freed: the terminal resends everything unacknowledged (one reconnect), then the rest.
        try FileManager.default.removeItem(atPath: filler)
        let again = try TestSocket(port: g.port, timeout: 5)
        _ = try #require(g.logIn(again, phone, plate: plate))
        for f in fixes[acked.count...] {
            again.send(g.location(phone, f))
            #expect(again.frames(1).first?.generalAck?.result == 0)
        }
        #expect(g.server.configuration.journal?.status.failure == nil)
        let journaled = try JournalGatewayTests.journaled(mountPoint + "/journal").map(\.time)
        #expect(journaled == distinct.map(\.time))
        #expect(g.server.engine.counters.fixes == distinct.count)
    }
}

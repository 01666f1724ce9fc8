import Testing
import MuckWatchCore
import MuckWatchJT808
@testable import MuckWatchGateway
import MuckWatchLive

/// Replies are written during a loop iteration and flushed once at its end
/// (`LoopBatch`), into each connection's reused `JT808FrameWriter`: still one ack per
/// message, in the order the messages came.
@Suite(.serialized) struct ReplyBatchingTests {
    @Test func manyMessagesInOneSendAreAckedOnceEachInOrder() throws {
        let g = try GatewayFixture()
        let (s, plate, phone) = try g.loggedIn(0)
        let fixes = Array(try GatewayFixture.fixes(of: plate).prefix(40))
        var bytes: [UInt8] = []
        var sent: [JT808Header] = []
        for (k, f) in fixes.prefix(30).enumerated() {
            let frame = k % 10 == 9 ? g.heartbeat(phone) : g.location(phone, f)
            sent.append(try JT808Frame.decode(frame).header)
            bytes += frame
        }
        let batch = g.batch(phone, Array(fixes[30..<40]))
        sent.append(try JT808Frame.decode(batch).header)
        bytes += batch
        s.send(bytes)
        let acks = s.frames(sent.count).compactMap(\.generalAck)
        #expect(acks.map(\.replySerial) == sent.map(\.serial))
        #expect(acks.map(\.replyMessageID) == sent.map(\.messageID))
        #expect(acks.allSatisfy { $0.result == JT808AckResult.ok })
        // Counted and queued before the acks left.
        #expect(g.server.stats.counts.fixes == 27 + 10)
        #expect(g.server.stats.counts.heartbeats == 3)
        #expect(g.server.engine.counters.fixes == 27 + 10)
    }

    /// Several connections sending in the same loop iterations: each gets its own acks, in
    /// its own order, and every fix is analyzed.
    @Test func connectionsSendingTogetherGetTheirOwnAcks() throws {
        let g = try GatewayFixture()
        let terminals = (0..<4).map { g.terminal($0) }
        let sockets = try terminals.map { _ in try TestSocket(port: g.port) }
        for (s, t) in zip(sockets, terminals) { #expect(g.logIn(s, t.phone, plate: t.plate) != nil) }
        var expected: [[UInt16]] = []
        var total = 0
        for round in 0..<5 {
            var serials: [[UInt16]] = []
            for (s, t) in zip(sockets, terminals) {
                let fixes = Array(try GatewayFixture.fixes(of: t.plate)[(round * 3)..<(round * 3 + 3)])
                let frames = fixes.map { g.location(t.phone, $0) }
                serials.append(try frames.map { try JT808Frame.decode($0).header.serial })
                s.send(frames.flatMap { $0 })
                total += 3
            }
            for (k, s) in sockets.enumerated() {
                let acks = s.frames(3).compactMap(\.generalAck)
                #expect(acks.map(\.replySerial) == serials[k])
                #expect(acks.allSatisfy { $0.replyMessageID == JT808MessageID.location && $0.result == 0 })
            }
            expected += serials
        }
        #expect(expected.count == 20)
        #expect(g.server.stats.counts.fixes == total)
        #expect(g.server.engine.counters.fixes == total)
    }
}

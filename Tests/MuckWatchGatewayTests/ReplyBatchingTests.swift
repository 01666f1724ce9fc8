import Testing
import MuckWatchCore
import MuckWatchIngest
@testable import MuckWatchGateway

/// Replies are written during a loop iteration and flushed once at its end
/// (`LoopBatch`), and encoded without `JT808Encoder` (`ReplyEncoder`): still one ack per
/// message, in the order the messages came, with the same bytes.
@Suite(.serialized) struct ReplyBatchingTests {
    @Test func replyEncoderWritesTheReferenceBytes() {
        var encoder = ReplyEncoder()
        let phones = [JT808Phone(digits: "013912345678")!, JT808Phone(digits: "01590000007")!,
                      JT808Phone(high: 0x0199, low: 0x1234_5678_9012_3456),
                      JT808Phone(high: 0x7E7D, low: 0x7E7D_7E7D_7E7D_7E7D)]
        // Serials holding the flag and escape bytes, both editions, every result code.
        for phone in phones {
            for version in [JT808Version.v2013, .v2019(protocolVersion: 1)] {
                for (serial, replyTo) in [(UInt16(0x7E7D), UInt16(0x7D7E)), (1, 0x0200), (0xFFFF, 0x0704)] {
                    let terminal = JT808Header(messageID: 0x0200, version: version, phone: phone, serial: replyTo)
                    for result in [JT808AckResult.ok, JT808AckResult.failure, JT808AckResult.badMessage,
                                   JT808AckResult.unsupported] {
                        var out: [UInt8] = [0xAA]
                        encoder.generalAck(to: terminal, result: result, serial: serial, into: &out)
                        #expect(out == [0xAA] + JT808Encoder.generalAck(to: terminal, result: result, serial: serial))
                    }
                }
            }
        }
    }

    @Test func manyMessagesInOneSendAreAckedOnceEachInOrder() throws {
        let g = try GatewayFixture()
        let (plate, phone) = g.terminal(0)
        let s = try TestSocket(port: g.port)
        #expect(g.logIn(s, phone, plate: plate) != nil)
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

import Foundation
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing
import MuckWatchCore
import MuckWatchLive
@testable import MuckWatchGateway

/// The alert stream's events as a subscriber reads them.
@Suite struct AlertHubTests {
    func alert(_ id: String, _ type: ViolationType) -> LiveAlert {
        LiveAlert(caseID: id, vehicleID: "渝F12345", company: "Co", isNewCase: true, types: [type],
                  time: 1_763_650_000, departments: ["city_management"])
    }

    /// What was written to `channel`, one string per write.
    func writes(_ channel: EmbeddedChannel) throws -> [String] {
        var out: [String] = []
        while let part = try channel.readOutbound(as: HTTPServerResponsePart.self) {
            guard case .body(.byteBuffer(let b)) = part else { continue }
            out.append(String(buffer: b))
        }
        return out
    }

    /// A batch of alerts is one write per stream, each alert its own event, ids counting on
    /// across batches; a stream that subscribes later sees only what follows.
    @Test func aBatchIsOneWriteWithOneEventPerAlertInOrder() throws {
        let hub = AlertHub(clock: .shanghai)
        let early = EmbeddedChannel()
        hub.subscribe(early)
        hub.publish([alert("C-1", .illegalDump), alert("C-2", .speeding), alert("C-3", .overload)])
        let late = EmbeddedChannel()
        hub.subscribe(late)
        hub.publish([alert("C-4", .spill)])
        hub.publish([])

        let first = try writes(early)
        #expect(first.count == 2)
        let events = first[0].components(separatedBy: "\n\n").filter { !$0.isEmpty }
        #expect(events.count == 3)
        for (k, id) in ["C-1", "C-2", "C-3"].enumerated() {
            #expect(events[k].hasPrefix("id: \(k + 1)\nevent: case\ndata: {\"case_id\":\"\(id)\""))
        }
        #expect(first[1].hasPrefix("id: 4\nevent: case\ndata: {\"case_id\":\"C-4\""))
        #expect(try writes(late) == [first[1]])
        #expect(hub.published == 4)
    }

    /// A stream whose unsent bytes passed the high water mark is closed and counted; the
    /// others still get the events, and keep-alive comments reach every stream.
    @Test func aStreamThatFellBehindIsClosedTheOthersGoOn() throws {
        let hub = AlertHub(clock: .shanghai)
        let reading = EmbeddedChannel()
        let stuck = EmbeddedChannel()
        hub.subscribe(reading)
        hub.subscribe(stuck)
        hub.keepAlive()
        #expect(try writes(stuck) == [": keep-alive\n\n"])
        stuck.isWritable = false
        hub.publish([alert("C-1", .illegalDump)])
        #expect(!stuck.isActive)
        #expect(hub.droppedSubscribers == 1)
        #expect(hub.subscriberCount == 1)
        #expect(try writes(reading).count == 2)
        hub.publish([alert("C-2", .speeding)])
        #expect(try writes(reading).first?.hasPrefix("id: 2\n") == true)
        #expect(hub.droppedSubscribers == 1)
    }

    /// Over a real socket: a client that stops reading is disconnected once its backlog
    /// passes the bound (the kernel's socket buffers fill first), so the gateway's memory
    /// stays bounded; it reads what was sent, then the end of the stream.
    @Test func aClientThatStopsReadingIsDisconnected() throws {
        let g = try GatewayFixture(alertBacklogBytes: 64 * 1024)
        let sse = try TestSocket(port: g.alertsPort)
        sse.send("GET /alerts HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
        _ = sse.text(until: ": muckwatch alerts")
        let hub = g.server.hub
        let batch = (0..<500).map { alert("C-\($0)", .illegalDump) }
        var rounds = 0
        while hub.droppedSubscribers == 0, rounds < 2_000 {
            hub.publish(batch)
            rounds += 1
            if rounds % 10 == 0 { try hub.settle() }  // the loop writes, the socket fills
        }
        #expect(hub.droppedSubscribers == 1)
        var received = 0
        while case let bytes = sse.receive(), !bytes.isEmpty { received += bytes.count }
        #expect(received > 64 * 1024)
        #expect(hub.subscriberCount == 0)
    }

    /// Keep-alive comments arrive on an idle stream.
    @Test func anIdleStreamGetsKeepAliveComments() throws {
        let g = try GatewayFixture(alertKeepAliveSeconds: 1)
        let sse = try TestSocket(port: g.alertsPort)
        sse.send("GET /alerts HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
        let text = sse.text(until: ": keep-alive")
        #expect(text.contains(": muckwatch alerts"))
        #expect(text.contains(": keep-alive"))
    }
}

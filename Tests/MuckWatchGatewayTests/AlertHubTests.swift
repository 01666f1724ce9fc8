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
}

import Testing
import MuckWatchCore
@testable import MuckWatchIngest

/// `CameraReader` straight into `CameraReads`: the byte path and the general (Foundation)
/// path give the same reads, and bad lines the same rejects as before.
@Suite struct CameraReaderTests {
    @Test func fastAndGeneralLinesGiveTheSameReadsGroupedAndSorted() throws {
        let dir = TempDir()
        let path = dir.file("c.jsonl", """
            {"event_id":"E-3","checkpoint_id":"KK-07","time":"2026-11-20T22:40:12+08:00","plate":"渝F2","type":"pass","confidence":0.5,"image":"snapshots/E-3.jpg"}
            {"event_id":"E-\\u0032","checkpoint_id":"KK-07","time":"2026-11-20T22:40:11+08:00","plate":"渝F2","type":"spill","confidence":0.93,"image":"snapshots/E-2.jpg"}

            { "event_id": "E-1", "checkpoint_id": "KK-08", "time": 1795184103, "plate": "渝F1", "type": "overload", "confidence": 1 }
            {"event_id":"E-0","checkpoint_id":"KK-08","time":"2026-11-20T22:40:12+08:00","plate":"渝F2","type":"pass","confidence":0.5,"image":""}
            """)
        var rejects: [Reject] = []
        let reads = try CameraReader.read(path: path, rejects: &rejects)
        #expect(rejects.isEmpty)
        #expect(reads.plates == ["渝F2", "渝F1"])
        #expect(reads.checkpointIDs == ["KK-07", "KK-08"])
        let f2 = reads.events(plate: "渝F2")
        #expect(f2.map(\.id) == ["E-2", "E-0", "E-3"])
        #expect(f2.map(\.image) == ["snapshots/E-2.jpg", nil, "snapshots/E-3.jpg"])
        #expect(f2[0] == CameraEvent(id: "E-2", checkpointID: "KK-07", time: 1_795_185_611, plate: "渝F2", type: .spill,
                                     confidence: 0.93, image: "snapshots/E-2.jpg"))
        #expect(reads.events(plate: "渝F1") == [CameraEvent(id: "E-1", checkpointID: "KK-08", time: 1_795_184_103,
                                                            plate: "渝F1", type: .overload, confidence: 1, image: nil)])
    }

    @Test func bytesThatAreNotUTF8DecodeAsTheyDidAsStrings() throws {
        let id: [UInt8] = Array("E-".utf8) + [0xFF, 0xC3]
        let image: [UInt8] = Array("snapshots/".utf8) + id + Array(".jpg".utf8)
        let line = Array(#"{"event_id":""#.utf8) + id + Array(#"","checkpoint_id":"KK-1","time":1795184103,"plate":"P","type":"pass","confidence":0.5,"image":""#.utf8)
            + image + Array("\"}\n".utf8)
        let path = TempDir().file("c.jsonl", bytes: line + line)
        var rejects: [Reject] = []
        let events = try CameraReader.read(path: path, rejects: &rejects).events(plate: "P")
        #expect(rejects.isEmpty && events.count == 2)
        #expect(events.allSatisfy { $0.id == String(decoding: id, as: UTF8.self) })
        #expect(events.allSatisfy { $0.image == String(decoding: image, as: UTF8.self) })
    }

    @Test func badLinesAreRejectedWithTheirLineAndReason() throws {
        let dir = TempDir()
        let path = dir.file("c.jsonl", """
            {"event_id":"E-1","checkpoint_id":"KK-07","time":"2026-11-20T22:40:11+08:00","plate":"渝F1","type":"pass","confidence":0.9}
            [1, 2]
            {"checkpoint_id":"KK-07","time":"2026-11-20T22:40:11+08:00","plate":"渝F1","type":"pass","confidence":0.9}
            {"event_id":"E-3","time":"2026-11-20T22:40:11+08:00","plate":"渝F1","type":"pass","confidence":0.9}
            {"event_id":"E-4","checkpoint_id":"KK-07","time":"2026-11-20T22:40:11+08:00","type":"pass","confidence":0.9}
            {"event_id":"E-5","checkpoint_id":"KK-07","time":"yesterday","plate":"渝F1","type":"pass","confidence":0.9}
            {"event_id":"E-6","checkpoint_id":"KK-07","time":"2026-11-20T22:40:11+08:00","plate":"渝F1","type":"parked","confidence":0.9}
            {"event_id":"E-7","checkpoint_id":"KK-07","time":"2026-11-20T22:40:11+08:00","plate":"渝F1","type":"pass","confidence":"high"}
            {"event_id":"E-8","checkpoint_id":"KK-07","time":"2026-11-20T22:40:11+08:00","plate":"渝F1","type":"pass","confidence":0.9
            """)
        var rejects: [Reject] = []
        let reads = try CameraReader.read(path: path, rejects: &rejects)
        #expect(reads.count == 1 && reads.events(plate: "渝F1").map(\.id) == ["E-1"])
        #expect(rejects.map(\.line) == [2, 3, 4, 5, 6, 7, 8, 9])
        #expect(rejects.map(\.reason) == [
            "not a JSON object", "missing event_id", "event E-3: missing checkpoint_id", "event E-4: missing plate",
            "event E-5: bad time 'yesterday': need ISO 8601 with an offset or Unix seconds",
            "event E-6: unknown type 'parked' (valid: pass, overload, unsealed, spill)",
            "event E-7: confidence must be a number from 0 to 1", "not a JSON object",
        ])
        #expect(rejects.allSatisfy { $0.file == path })
    }
}

import Testing
import MuckWatchCore
import MuckWatchTestSupport

@Suite struct CameraReadsTests {
    func read(_ id: String, _ plate: String, _ time: Int64, checkpoint: String = "KK-1", type: CameraEventType = .pass,
              confidence: Double = 0.9, image: String? = nil) -> CameraEvent {
        CameraEvent(id: id, checkpointID: checkpoint, time: time, plate: plate, type: type, confidence: confidence,
                    image: image)
    }

    /// What the reads were before: grouped with `Dictionary(grouping:)`, each plate's
    /// sorted by `(time, id)` (the standard library's sort is stable).
    func reference(_ events: [CameraEvent]) -> [String: [CameraEvent]] {
        var byPlate = Dictionary(grouping: events, by: \.plate)
        for key in byPlate.keys { byPlate[key]!.sort { ($0.time, $0.id) < ($1.time, $1.id) } }
        return byPlate
    }

    @Test func groupsByPlateInFileOrderAndSortsEachPlate() {
        let events = [
            read("E-3", "渝F2", 300), read("E-1", "渝F1", 200, image: "snapshots/E-1.jpg"),
            read("E-2", "渝F2", 100, checkpoint: "KK-2", type: .spill, confidence: 0.41),
            read("E-4", "渝F1", 100), read("E-5", "渝F3", 50),
        ]
        let reads = CameraReads(events)
        #expect(reads.count == 5)
        #expect(reads.plates == ["渝F2", "渝F1", "渝F3"])
        #expect(reads.checkpointIDs == ["KK-1", "KK-2"])
        #expect(reads.events(plate: "渝F2").map(\.id) == ["E-2", "E-3"])
        #expect(reads.events(plate: "渝F1").map(\.id) == ["E-4", "E-1"])
        #expect(reads.events(plate: "渝F9").isEmpty && reads.records(plate: "渝F9").isEmpty)
        #expect(reads.range(plate: "渝F1") == 2..<4)
        for (plate, expected) in reference(events) { #expect(reads.events(plate: plate) == expected) }
        #expect(reads.records(plate: "渝F2").map(\.time) == [100, 300])
        #expect(reads.records(plate: "渝F2").map(\.checkpoint) == [1, 0])
    }

    @Test func keepsImagesAbsentOrPresentAndExactValues() {
        let events = [
            read("E-1", "渝F1", 10, type: .overload, confidence: 0.1 + 0.2, image: "snapshots/E-1.jpg"),
            read("E-2", "渝F1", 20, confidence: 1, image: nil),
            read("E-3", "渝F1", 30, type: .unsealed, confidence: 0, image: "图/E-3.jpg"),
        ]
        let reads = CameraReads(events)
        #expect(reads.events(plate: "渝F1") == events)
        #expect(reads.records(plate: "渝F1").map(\.hasImage) == [true, false, true])
        #expect(reads.records(plate: "渝F1")[0].confidence == 0.1 + 0.2)
    }

    @Test func imagesNamedAfterTheirIdOrNotComeBackByteForByte() {
        var events: [CameraEvent] = []
        for k in 0..<800 {
            // Mostly one template, more templates than are kept (case 1), ids repeated in
            // the path, paths without the id, the id alone.
            let id = "E-\(k)"
            let image: String? = switch k % 8 {
            case 0: "snapshots/\(id).jpg"
            case 1: "cam\(k)/\(id)"
            case 2: "\(id)/\(id).jpg"
            case 3: "snapshots/other.jpg"
            case 4: id
            case 5: nil
            case 6: "图片/\(id).png"
            default: "snapshots/\(id).jpg"
            }
            events.append(read(id, "P\(k % 3)", Int64(k), image: image))
        }
        let reads = CameraReads(events)
        for (plate, expected) in reference(events) {
            let got = reads.events(plate: plate)
            #expect(got == expected)
            #expect(got.map { $0.image.map { Array($0.utf8) } } == expected.map { $0.image.map { Array($0.utf8) } })
        }
    }

    @Test func recordsStayFortyBytes() {
        #expect(MemoryLayout<CameraReads.Record>.stride == 40)
    }

    @Test func timeTiesOrderByIdAsStringsThenFileOrder() {
        // "E-10" < "E-9" as strings; equal (time, id) pairs keep their file order.
        let events = [
            read("E-9", "P", 100), read("E-10", "P", 100), read("E-1", "P", 200, checkpoint: "KK-a"),
            read("E-1", "P", 200, checkpoint: "KK-b"), read("D-99", "P", 100), read("E-1", "P", 200, checkpoint: "KK-c"),
        ]
        let reads = CameraReads(events)
        #expect(reads.events(plate: "P").map(\.id) == ["D-99", "E-10", "E-9", "E-1", "E-1", "E-1"])
        #expect(reads.events(plate: "P").suffix(3).map(\.checkpointID) == ["KK-a", "KK-b", "KK-c"])
        #expect(reads.events(plate: "P") == reference(events)["P"])
    }

    @Test func canonicallyEqualSpellingsGroupTogetherButKeepTheirBytes() {
        // "é" precomposed and decomposed: equal as Strings, different bytes.
        let nfc = "渝F\u{E9}1", nfd = "渝Fe\u{301}1"
        let events = [
            read("E-1", nfc, 10, checkpoint: "K\u{E9}"), read("E-2", nfd, 5, checkpoint: "Ke\u{301}"),
            read("E-3", nfd, 20),
        ]
        let reads = CameraReads(events)
        #expect(reads.plates.count == 1)
        let got = reads.events(plate: nfd)
        #expect(got.map(\.id) == ["E-2", "E-1", "E-3"])
        #expect(got.map { Array($0.plate.utf8) } == [Array(nfd.utf8), Array(nfc.utf8), Array(nfd.utf8)])
        #expect(got.map { Array($0.checkpointID.utf8) } == [Array("Ke\u{301}".utf8), Array("K\u{E9}".utf8), Array("KK-1".utf8)])
        #expect(reads.checkpointIDs.count == 3)
    }

    @Test func matchesTheOldGroupingOnManyReads() {
        var rng = SeededRandom(seed: 6)
        var events: [CameraEvent] = []
        for k in 0..<5_000 {
            let plate = "渝F\(rng.next() % 40)"
            events.append(read("E-\(rng.next() % 900)", plate, Int64(rng.next() % 50), checkpoint: "KK-\(rng.next() % 7)",
                               type: CameraEventType.allCases[Int(rng.next() % 4)],
                               confidence: Double(rng.next() % 101) / 100, image: k % 3 == 0 ? nil : "s/\(k).jpg"))
        }
        let reads = CameraReads(events)
        let old = reference(events)
        #expect(reads.plates.count == old.count)
        for (plate, expected) in old { #expect(reads.events(plate: plate) == expected) }
        var seen = Set<String>()
        #expect(reads.plates == events.map(\.plate).filter { seen.insert($0).inserted })
    }

    @Test func emptyReads() {
        let reads = CameraReads([])
        #expect(reads.isEmpty && reads.plates.isEmpty && reads.allEvents.isEmpty)
        #expect(CameraReads().events(plate: "x").isEmpty)
    }
}

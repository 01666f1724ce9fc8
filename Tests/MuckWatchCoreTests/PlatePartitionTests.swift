import Foundation
import Testing
import MuckWatchCore
import MuckWatchTestSupport

/// The plate hash of `--partition K/N` (issue #23) and the Spark driver's copy of it in
/// Python (`spark/muckwatch_spark.py`) put every plate in the same partition.
@Suite struct PlatePartitionTests {
    static let plates = ["渝F50056", "渝F64906", "京A12345", "沪B0C1D2", "粤Z1234港", "川A·D12345", "新AF12345",
                         "WJ01234", "ABC-123", " 渝F50056", "渝F50056 \r", "x", "车", "渝F00131"]

    @Test func partitionsAreStableAndDisjoint() throws {
        #expect(PlatePartition.hash(plate: "") == 0xcbf2_9ce4_8422_2325)
        // FNV-1a 64 of "a", a published test vector.
        #expect(PlatePartition.hash(plate: "a") == 0xaf63_dc4c_8601_ec8c)
        #expect(PlatePartition.index(plate: " 渝F50056", count: 7) == PlatePartition.index(plate: "渝F50056", count: 7))
        for n in [1, 2, 3, 16] {
            for plate in Self.plates {
                let owners = (0..<n).filter { PlatePartition(index: $0, count: n)!.contains(plate: plate) }
                #expect(owners.count == 1)
            }
        }
        #expect(PlatePartition(index: 0, count: 3)!.contains(rejectOf: nil))
        #expect(PlatePartition(index: 0, count: 3)!.contains(rejectOf: "  "))
        #expect(!PlatePartition(index: 1, count: 3)!.contains(rejectOf: nil))
        #expect(PlatePartition("2/3") == PlatePartition(index: 2, count: 3))
        #expect(PlatePartition("3/3") == nil && PlatePartition("1") == nil && PlatePartition("-1/3") == nil)
    }

    @Test func theSparkDriverHashesAsSwiftDoes() throws {
        let script = """
            import sys, json
            sys.path.insert(0, sys.argv[1])
            from muckwatch_spark import plate_hash, plate_partition
            plates = json.loads(sys.stdin.read())
            print(json.dumps([[str(plate_hash(p.encode())), [plate_partition(p, n) for n in (2, 3, 16, 64)]] for p in plates]))
            """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script, BundledSample.root + "/spark"]
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        try p.run()
        input.fileHandleForWriting.write(try JSONSerialization.data(withJSONObject: Self.plates))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        let answers = try #require(try JSONSerialization.jsonObject(with: data) as? [[Any]])
        #expect(answers.count == Self.plates.count)
        for (plate, answer) in zip(Self.plates, answers) {
            #expect(answer[0] as? String == String(PlatePartition.hash(plate: plate)), "\(plate)")
            #expect(answer[1] as? [Int] == [2, 3, 16, 64].map { PlatePartition.index(plate: plate, count: $0) }, "\(plate)")
        }
    }
}

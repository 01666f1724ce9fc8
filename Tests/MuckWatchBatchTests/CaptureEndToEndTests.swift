import Foundation
import Testing
import MuckWatchCore
import MuckWatchIngest
import MuckWatchJT808
@testable import MuckWatchBatch

/// The bundled sample night, re-encoded as a JT/T 808 capture (0x0200 reports, 0x0704
/// batches, 2013 and 2019 headers), must decode to exactly its good fixes and analyze to
/// the same trips and cases as the CSV.
@Suite(.serialized) struct CaptureEndToEndTests {
    static func encodeSample(to path: String) throws -> Int {
        var plates = PlateTable(), fixes: [Fix] = [], rejects: [Reject] = []
        _ = try TraceReader.read(path: SampleNight.root + "/traces/traces.csv", fileIndex: 0, plates: &plates,
                                 fixes: &fixes, rejects: &rejects)
        var vr: [Reject] = []
        let vehicles = try VehicleReader.read(path: SampleNight.root + "/traces/vehicles.csv", rejects: &vr)
        let phoneOf = Dictionary(vehicles.compactMap { v in v.terminalID.map { (v.id, $0) } }, uniquingKeysWith: { a, _ in a })
        var out: [UInt8] = []
        var serial: UInt16 = 0
        var pending: [Int32: [JT808LocationReport]] = [:]
        func header(_ plate: String, _ id: UInt16) -> JT808Header {
            serial &+= 1
            let phone = JT808Phone(digits: phoneOf[plate]!)!
            let v2019 = plate.unicodeScalars.last.map { $0.value % 3 == 0 } ?? false   // a third of the fleet
            return JT808Header(messageID: id, version: v2019 ? .v2019(protocolVersion: 1) : .v2013, phone: phone, serial: serial)
        }
        for (k, f) in fixes.enumerated() {
            let plate = plates[f.vehicle]
            var status: UInt32 = JT808LocationReport.positionedBit
            if f.lat < 0 { status |= JT808LocationReport.southBit }
            if f.lon < 0 { status |= JT808LocationReport.westBit }
            let r = JT808LocationReport(
                status: status, latitude: UInt32((abs(f.lat) * 1_000_000).rounded()),
                longitude: UInt32((abs(f.lon) * 1_000_000).rounded()),
                speed: f.speedKmh.isNaN ? 0 : UInt16((Double(f.speedKmh) * 10).rounded()),
                direction: f.heading.isNaN ? 0 : UInt16(f.heading), time: JT808Time(unixSeconds: f.time),
                lift: f.lift < 0 ? nil : UInt8(f.lift), lid: f.lid < 0 ? nil : UInt8(f.lid),
                loadCell: f.loadT.isNaN ? nil : UInt16((Double(f.loadT) * 10).rounded()))
            if k % 7 == 3 {
                // Blind-area upload: held back and sent as a 0x0704 batch of three.
                pending[f.vehicle, default: []].append(r)
                if pending[f.vehicle]!.count == 3 {
                    let body = JT808BatchLocation(type: 1, reports: pending[f.vehicle]!).encode()
                    out += JT808Encoder.frame(header(plate, 0x0704), body: body)
                    pending[f.vehicle] = []
                }
            } else {
                out += JT808Encoder.frame(header(plate, 0x0200), body: r.encode())
            }
        }
        for (v, reports) in pending.sorted(by: { $0.key < $1.key }) where !reports.isEmpty {
            out += JT808Encoder.frame(header(plates[v], 0x0704), body: JT808BatchLocation(type: 1, reports: reports).encode())
        }
        FileManager.default.createFile(atPath: path, contents: Data(out))
        return fixes.count
    }

    @Test func captureAnalyzesLikeTheCSV() throws {
        let out = SampleNight.tempDir()
        let capture = out + "/night.bin"
        let encoded = try Self.encodeSample(to: capture)
        let csv = try Analysis.run(SampleNight.options(out: out))
        let bin = try Analysis.run(SampleNight.options(out: out, traces: [capture]))

        #expect(bin.summary.fixesRead == encoded)
        #expect(bin.summary.fixesRejected == 0)
        #expect(bin.summary.fixesRead == csv.summary.fixesRead - csv.summary.fixesRejected)
        #expect(bin.summary.fixesDuplicate == csv.summary.fixesDuplicate)
        #expect(bin.summary.fixesOutlier == csv.summary.fixesOutlier)
        func trips(_ r: RunResult) -> [String] {
            r.trips.map { "\(r.plates[$0.vehicle]) \($0.sourceSite ?? "-") \($0.loadedAt) \($0.disposalSite ?? "-") \($0.dumpedAt ?? 0)" }.sorted()
        }
        #expect(trips(bin) == trips(csv))
        #expect(bin.cases.map(\.id) == csv.cases.map(\.id))
        #expect(bin.cases.map { $0.violations.map(\.type) } == csv.cases.map { $0.violations.map(\.type) })
    }
}

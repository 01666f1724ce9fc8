import Foundation
import Testing
import MuckWatchCore
@testable import MuckWatchIngest

/// Manifests (contract section 12): every good record kept in file order, every bad one a
/// reject on its own physical line with a reason naming the field.
@Suite struct ManifestReaderTests {
    static let good = #"{"manifest_id":"M-1","permit_id":"P-2026-0412","vehicle_id":"渝F12345","driver_id":"DR-03","source_site":"S-03","disposal_site":"D-01","waste_type":"excavated_soil","declared_t":28.0,"opened_at":"2026-11-20T22:31:05+08:00","closed_at":"2026-11-20T23:02:40+08:00","closed_site":"D-01","received_t":27.6}"#

    func read(_ text: String, name: String = "m.jsonl") throws -> (manifests: [Manifest], rejects: [Reject], path: String) {
        let path = TempDir().file(name, text)
        var rejects: [Reject] = []
        let manifests = try ManifestReader.read(path: path, rejects: &rejects)
        return (manifests, rejects, path)
    }

    /// One line per bad record, in a file of good ones.
    func rejectOf(_ line: String) throws -> Reject? {
        let r = try read(Self.good + "\n" + line + "\n")
        #expect(r.manifests.map(\.id) == ["M-1"], "the good line is kept beside \(line)")
        #expect(r.rejects.count == 1 && r.rejects.first?.line == 2 && r.rejects.first?.file == r.path)
        return r.rejects.first
    }

    @Test func aClosedManifestIsReadWhole() throws {
        let r = try read(Self.good)
        #expect(r.rejects.isEmpty)
        #expect(r.manifests == [Manifest(id: "M-1", permitID: "P-2026-0412", vehicleID: "渝F12345", driverID: "DR-03",
                                         sourceSite: "S-03", disposalSite: "D-01", wasteType: .excavatedSoil, declaredT: 28,
                                         openedAt: TimeParser.parse("2026-11-20T22:31:05+08:00")!,
                                         closedAt: TimeParser.parse("2026-11-20T23:02:40+08:00")!, closedSite: "D-01",
                                         receivedT: 27.6)])
        #expect(r.manifests[0].isClosed)
    }

    @Test func numbersAsStringsAndNullOrAbsentOptionals() throws {
        let r = try read("""
            {"manifest_id":"M-2","vehicle_id":"渝F1","source_site":"S-1","disposal_site":"D-1","waste_type":"engineering_mud","declared_t":"24.5","opened_at":1795183200,"closed_at":null,"closed_site":null,"received_t":null}
            {"manifest_id":"M-3","vehicle_id":"渝F1","source_site":"S-1","disposal_site":"D-1","waste_type":"other","declared_t":" 30 ","opened_at":"1795183300","closed_at":"","received_t":""}
            {"manifest_id":"M-4","vehicle_id":"渝F1","source_site":"S-1","disposal_site":"D-1","waste_type":"decoration","declared_t":0,"opened_at":"2026-11-20T22:00:00+08:00","closed_at":"2026-11-20T22:40:00+08:00","closed_site":"D-2","received_t":"7.5"}
            """)
        #expect(r.rejects.isEmpty)
        #expect(r.manifests.map(\.declaredT) == [24.5, 30, 0])
        #expect(r.manifests.map(\.openedAt) == [1_795_183_200, 1_795_183_300, TimeParser.parse("2026-11-20T22:00:00+08:00")!])
        for m in r.manifests.prefix(2) {
            #expect(m.closedAt == nil && m.closedSite == nil && m.receivedT == nil && m.permitID == nil && m.driverID == nil)
        }
        #expect(r.manifests[2].receivedT == 7.5 && r.manifests[2].closedSite == "D-2" && r.manifests[2].wasteType == .decoration)
    }

    @Test func aJSONArrayGivesEachRejectTheLineItsObjectStartsOn() throws {
        let r = try read("""
            [
             {"manifest_id":"M-1","vehicle_id":"渝F1","source_site":"S-1","disposal_site":"D-1",
              "waste_type":"demolition","declared_t":20,"opened_at":"2026-11-20T22:00:00+08:00"},
             null,
             {"manifest_id":"M-2","vehicle_id":"渝F1","source_site":"S-1","disposal_site":"D-1",
              "waste_type":"gravel","declared_t":20,"opened_at":"2026-11-20T22:00:00+08:00"},
             {"manifest_id":"M-3","vehicle_id":"渝F1","source_site":"S-1","disposal_site":"D-1",
              "waste_type":"demolition","declared_t":20,"opened_at":"2026-11-20T23:00:00+08:00"}
            ]
            """, name: "m.json")
        #expect(r.manifests.map(\.id) == ["M-1", "M-3"])
        #expect(r.rejects.map(\.line) == [4, 5])
        #expect(r.rejects.first?.reason.contains("not a JSON object") == true)
        #expect(r.rejects.last?.reason.contains("unknown waste_type 'gravel'") == true)
    }

    /// Each reason of the contract: the field it names and where.
    @Test(arguments: [
        (#"{"vehicle_id":"渝F1","source_site":"S-1","disposal_site":"D-1","waste_type":"other","declared_t":1,"opened_at":1795183200}"#, "missing manifest_id"),
        (#"{"manifest_id":"M-9","source_site":"S-1","disposal_site":"D-1","waste_type":"other","declared_t":1,"opened_at":1795183200}"#, "manifest M-9: missing vehicle_id"),
        (#"{"manifest_id":"M-9","vehicle_id":"渝F1","disposal_site":"D-1","waste_type":"other","declared_t":1,"opened_at":1795183200}"#, "missing source_site"),
        (#"{"manifest_id":"M-9","vehicle_id":"渝F1","source_site":"S-1","disposal_site":"","waste_type":"other","declared_t":1,"opened_at":1795183200}"#, "missing disposal_site"),
        (#"{"manifest_id":"M-9","vehicle_id":"渝F1","source_site":"S-1","disposal_site":"D-1","waste_type":"other","declared_t":1}"#, "missing opened_at"),
        (#"{"manifest_id":"M-9","vehicle_id":"渝F1","source_site":"S-1","disposal_site":"D-1","waste_type":"other","declared_t":1,"opened_at":"2026-11-20T22:31:05"}"#, "bad opened_at '2026-11-20T22:31:05'"),
        (#"{"manifest_id":"M-9","vehicle_id":"渝F1","source_site":"S-1","disposal_site":"D-1","waste_type":"other","declared_t":1,"opened_at":1795183200,"closed_at":"soon"}"#, "bad closed_at 'soon'"),
        (#"{"manifest_id":"M-9","vehicle_id":"渝F1","source_site":"S-1","disposal_site":"D-1","waste_type":"other","declared_t":"heavy","opened_at":1795183200}"#, "declared_t 'heavy' is not a number"),
        (#"{"manifest_id":"M-9","vehicle_id":"渝F1","source_site":"S-1","disposal_site":"D-1","waste_type":"other","declared_t":1,"opened_at":1795183200,"received_t":"NaN"}"#, "received_t 'NaN' is not a number"),
        (#"{"manifest_id":"M-9","vehicle_id":"渝F1","source_site":"S-1","disposal_site":"D-1","waste_type":"soil","declared_t":1,"opened_at":1795183200}"#, "unknown waste_type 'soil' (valid: excavated_soil, engineering_mud, demolition, decoration, other)"),
        (#"{"manifest_id":"M-9","vehicle_id":"渝F1","source_site":"S-1","disposal_site":"D-1","waste_type":"other","declared_t":1,"opened_at":1795183200,"closed_at":1795183100}"#, "closed_at is before opened_at"),
        (#"{"manifest_id":"M-9","vehicle_id":"渝F1","source_site":"S-1","disposal_site":"D-1","waste_type":"other","declared_t":-3,"opened_at":1795183200}"#, "declared_t -3.0 is negative"),
        (#"{"manifest_id":"M-9","vehicle_id":"渝F1","source_site":"S-1","disposal_site":"D-1","waste_type":"other","declared_t":3,"opened_at":1795183200,"received_t":-0.5}"#, "received_t -0.5 is negative"),
        (#"["M-9","渝F1"]"#, "manifest is not a JSON object"),
        (#"{"manifest_id":"M-9","vehicle_id":"渝F1""#, "not JSON"),
    ])
    func everyBadRecordIsARejectNamingItsField(line: String, reason: String) throws {
        let reject = try rejectOf(line)
        #expect(reject?.reason.contains(reason) == true, "\(reject?.reason ?? "no reject") lacks \(reason)")
    }

    @Test func aDuplicateIDKeepsTheFirst() throws {
        let later = Self.good.replacingOccurrences(of: "\"D-01\",\"received_t\"", with: "\"D-02\",\"received_t\"")
        let r = try read(Self.good + "\n\n" + later + "\n")
        #expect(r.manifests.count == 1 && r.manifests[0].closedSite == "D-01")
        #expect(r.rejects == [Reject(file: r.path, line: 3, reason: "duplicate manifest id M-1: the first is kept")])
    }

    /// A GBK export (渝 is D3 E5 there): the plate must not come through garbled.
    @Test func aPlateThatIsNotUTF8IsARejectNotAGarbledVehicle() throws {
        let gbk = Array(#"{"manifest_id":"M-2","vehicle_id":""#.utf8) + [0xD3, 0xE5]
            + Array(#"F12345","source_site":"S-03","disposal_site":"D-01","waste_type":"other","declared_t":28,"opened_at":1795183200}"#.utf8)
        let path = TempDir().file("m.jsonl", bytes: Array((Self.good + "\n").utf8) + gbk + [0x0A])
        var rejects: [Reject] = []
        let manifests = try ManifestReader.read(path: path, rejects: &rejects)
        #expect(manifests.map(\.id) == ["M-1"])
        #expect(rejects.map(\.line) == [2] && rejects.first?.reason.contains("UTF-8") == true, "\(rejects)")
        // A whole file of such lines says why it cannot be read.
        let all = TempDir().file("g.jsonl", bytes: gbk + [0x0A] + gbk)
        do {
            _ = try ManifestReader.read(path: all, rejects: &rejects)
            Issue.record("a GBK file was read")
        } catch {
            #expect(error.description.contains("UTF-8") && error.description.hasPrefix(all), "\(error)")
        }
    }

    @Test func aFileThatIsNotJSONIsAnErrorNamingTheFile() {
        expectUnreadable([("m.csv", "manifest_id,vehicle_id\nM-1,渝F1\n"), ("m.json", "[{\"manifest_id\":"), ("e.jsonl", " \n\n")],
                         as: "manifests") { path in
            var rejects: [Reject] = []
            _ = try ManifestReader.read(path: path, rejects: &rejects)
        }
    }
}

/// Each file must be refused whole, with an error naming it and what it was read as.
func expectUnreadable(_ files: [(name: String, text: String)], as what: String,
                      read: (String) throws -> Void) {
    for (name, text) in files {
        let path = TempDir().file(name, text)
        do {
            try read(path)
            Issue.record("\(name) was read as \(what)")
        } catch {
            #expect("\(error)".hasPrefix(path + ": not usable as \(what)"), "\(error)")
        }
    }
}

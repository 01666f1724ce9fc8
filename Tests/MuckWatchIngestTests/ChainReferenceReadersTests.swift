import Testing
import MuckWatchCore
@testable import MuckWatchIngest

/// What contract v2 adds to the v1 references: the registry's `rfid`, a disposal site's
/// `facility` and the new config keys.
@Suite struct ChainReferenceReadersTests {
    @Test func theRegistryReadsEachPlatesTag() throws {
        let path = TempDir().file("v.csv", "vehicle_id,company,rated_load_t,terminal_id,rfid\n渝F1,万州运输,30,,E2801160600002040C7A5B3F\n渝F2,万州运输,25,013296257028,\n")
        var rejects: [Reject] = []
        let vehicles = try VehicleReader.read(path: path, rejects: &rejects)
        #expect(rejects.isEmpty)
        #expect(vehicles == [Vehicle(id: "渝F1", company: "万州运输", ratedLoadT: 30, terminalID: nil, rfid: "E2801160600002040C7A5B3F"),
                             Vehicle(id: "渝F2", company: "万州运输", ratedLoadT: 25, terminalID: "013296257028", rfid: nil)])
        let v1 = TempDir().file("v1.csv", "vehicle_id,company\n渝F1,万州运输\n")
        #expect(try VehicleReader.read(path: v1, rejects: &rejects).map(\.rfid) == [nil])
    }

    func fence(_ properties: String) -> String {
        TempDir().file("d.geojson", """
            {"type":"Feature","properties":{\(properties)},
             "geometry":{"type":"Polygon","coordinates":[[[108.5,30.8],[108.51,30.8],[108.51,30.81],[108.5,30.8]]]}}
            """)
    }

    /// Absent stays `nil` (a landfill, counted so by the statistics).
    @Test func aDisposalSitesFacility() throws {
        for facility in Facility.allCases {
            let fences = try FenceReader.read(path: fence(#""id":"D-1","kind":"disposal_site","facility":"\#(facility.rawValue)""#))
            #expect(fences.map(\.facility) == [facility])
        }
        #expect(try FenceReader.read(path: fence(#""id":"D-1","kind":"disposal_site""#)).map(\.facility) == [nil])
        #expect(try FenceReader.read(path: fence(#""id":"D-1","kind":"disposal_site","facility":null"#)).map(\.facility) == [nil])
    }

    @Test func anUnknownFacilityOrOneOnAnotherKindIsAnErrorNamingTheFence() {
        for (properties, reason) in [(#""id":"D-7","kind":"disposal_site","facility":"incinerator""#, "unknown facility 'incinerator'"),
                                     (#""id":"S-7","kind":"construction_site","facility":"recycling""#, "facility applies to disposal sites only")] {
            let path = fence(properties)
            do {
                _ = try FenceReader.read(path: path)
                Issue.record("\(properties) accepted")
            } catch {
                #expect(error.description.hasPrefix(path) && error.description.contains(reason), "\(error)")
                #expect(error.description.contains(properties.contains("D-7") ? "D-7" : "S-7"), "\(error)")
            }
        }
    }

    @Test func theChainKeysOfTheConfig() throws {
        let defaults = Config()
        #expect(defaults.manifestMatchS == 2700 && defaults.manifestCloseMaxS == 21600 && defaults.presenceMaxM == 500)
        #expect(defaults.weightTolerance == 0.10 && defaults.tareTolerance == 0.05)
        #expect(defaults.departments[.tareAnomaly] == ["market_regulation"])
        let dir = TempDir()
        let c = try ConfigReader.read(path: dir.file("c.json", """
            {"manifest_match_s": 1800, "manifest_close_max_s": "43200", "presence_max_m": 300, "weight_tolerance": 0.15,
             "tare_tolerance": 0.02, "departments": {"rfid_mismatch": ["traffic_police", "market_regulation"]}}
            """))
        #expect(c.manifestMatchS == 1800 && c.manifestCloseMaxS == 43200 && c.presenceMaxM == 300)
        #expect(c.weightTolerance == 0.15 && c.tareTolerance == 0.02)
        #expect(c.departments[.rfidMismatch] == ["traffic_police", "market_regulation"])
        for bad in [#"{"manifest_match_s": 12.5}"#, #"{"manifest_close_max_s": -1}"#, #"{"weight_tolerance": "tenth"}"#,
                    #"{"presence_max_m": -5}"#, #"{"manifest_close_max_s": 1e12}"#] {
            #expect(throws: IngestError.self, "\(bad)") { try ConfigReader.read(path: dir.file("b.json", bad)) }
        }
        do {
            _ = try ConfigReader.read(path: dir.file("t.json", #"{"tare_tolerence": 0.1}"#))
            Issue.record("typo accepted")
        } catch {
            #expect(error.description.contains("unknown key 'tare_tolerence'") && error.description.contains("tare_tolerance"))
        }
    }
}

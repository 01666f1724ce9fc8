import Testing
import MuckWatchCore
@testable import MuckWatchIngest

@Suite struct FenceReaderTests {
    let sites = """
        {"type":"FeatureCollection","features":[
         {"type":"Feature","properties":{"id":"S-01","name":"工地一","kind":"construction_site"},
          "geometry":{"type":"Polygon","coordinates":[[[108.40,30.80],[108.41,30.80],[108.41,30.81],[108.40,30.81],[108.40,30.80]],
                                                      [[108.403,30.803],[108.403,30.806],[108.406,30.806],[108.406,30.803],[108.403,30.803]]]}},
         {"type":"Feature","properties":{"id":"D-01","name":"消纳场","kind":"disposal_site","capacity_t":"50000"},
          "geometry":{"type":"MultiPolygon","coordinates":[[[[108.5,30.8],[108.51,30.8],[108.51,30.81]]],[[[108.52,30.8],[108.53,30.8],[108.53,30.81]]]]}}
        ]}
        """
    let others = """
        {"type":"FeatureCollection","features":[
         {"type":"Feature","properties":{"id":"R-01","name":"r","kind":"route","corridor_m":80},
          "geometry":{"type":"MultiLineString","coordinates":[[[108.4,30.8],[108.5,30.8]],[[108.5,30.8],[108.5,30.9]]]}},
         {"type":"Feature","properties":{"id":"Z-01","name":"school","kind":"restricted_zone","hours":["07:00-09:00","22:00-02:00"],"speed_limit_kmh":30},
          "geometry":{"type":"Polygon","coordinates":[[[108.42,30.80],[108.43,30.80],[108.43,30.81]]]}},
         {"type":"Feature","properties":{"id":"KK-01","name":"k","kind":"checkpoint"},
          "geometry":{"type":"Point","coordinates":[108.45,30.80]}}
        ]}
        """

    @Test func readsAFolderOfFiles() throws {
        let dir = TempDir()
        _ = dir.file("sites.geojson", sites)
        _ = dir.file("others.geojson", others)
        _ = dir.file("README.txt", "not a fence")
        let fences = try FenceReader.read(path: dir.path)
        #expect(fences.map(\.id) == ["R-01", "Z-01", "KK-01", "S-01", "D-01"])
        guard case .polygons(let s) = fences[3].geometry else { Issue.record("no polygon"); return }
        #expect(s.count == 1 && s[0].count == 2 && s[0][0].count == 4)     // closing point dropped, hole kept
        guard case .polygons(let d) = fences[4].geometry else { Issue.record("no multipolygon"); return }
        #expect(d.count == 2)
        #expect(fences[4].capacityT == 50_000)
        #expect(fences[0].corridorM == 80)
        #expect(fences[1].hours?.count == 2 && fences[1].speedLimitKmh == 30)
        #expect(fences[2].radiusM == 100)
    }

    @Test func rejectsWhatIsNotAFence() {
        let dir = TempDir()
        let notJSON = dir.file("a.geojson", "hello")
        #expect(throws: IngestError.self) { try FenceReader.read(path: notJSON) }
        let unknownKind = dir.file("b.geojson", """
            {"type":"Feature","properties":{"id":"X","kind":"parking"},"geometry":{"type":"Point","coordinates":[108,30]}}
            """)
        do {
            _ = try FenceReader.read(path: unknownKind)
            Issue.record("unknown kind accepted")
        } catch {
            #expect(error.description.contains("unknown kind 'parking'") && error.description.contains("construction_site"))
        }
        let wrongGeometry = dir.file("c.geojson", """
            {"type":"Feature","properties":{"id":"R","kind":"route"},"geometry":{"type":"Point","coordinates":[108,30]}}
            """)
        #expect(throws: IngestError.self) { try FenceReader.read(path: wrongGeometry) }
        let shortRing = dir.file("d.geojson", """
            {"type":"Feature","properties":{"id":"S","kind":"construction_site"},"geometry":{"type":"Polygon","coordinates":[[[108,30],[108.1,30],[108,30]]]}}
            """)
        #expect(throws: IngestError.self) { try FenceReader.read(path: shortRing) }
    }

    @Test func duplicateIDsAcrossFilesAreAnError() {
        let dir = TempDir()
        _ = dir.file("a.geojson", sites)
        _ = dir.file("b.geojson", sites)
        do {
            _ = try FenceReader.read(path: dir.path)
            Issue.record("duplicate accepted")
        } catch {
            #expect(error.description.contains("duplicate fence id 'S-01'"))
        }
    }
}

@Suite struct PermitVehicleCameraConfigTests {
    @Test func permitsFromAnArrayWithABadRecord() throws {
        let dir = TempDir()
        let path = dir.file("permits.json", """
            [
             {"permit_id":"P-1","vehicles":["渝F1"],"source_site":"S-01","disposal_site":"D-01","route":"R-01",
              "valid_from":"2026-11-01","valid_to":"2026-11-30","hours":["22:00-06:00"]},
             {"permit_id":"P-2","vehicles":["渝F1"],"source_site":"S-01","disposal_site":"D-01",
              "valid_from":"2026-11-31","valid_to":"2026-11-30"},
             {"permit_id":"P-3","vehicles":["渝F2"],"source_site":"S-02","disposal_site":"D-01",
              "valid_from":"2026-11-01","valid_to":"2026-11-30"}
            ]
            """)
        var rejects: [Reject] = []
        let permits = try PermitReader.read(path: path, rejects: &rejects)
        #expect(permits.map(\.id) == ["P-1", "P-3"])
        #expect(permits[0].hours?.first?.description == "22:00-06:00" && permits[0].route == "R-01")
        #expect(permits[1].hours == nil && permits[1].route == nil)
        #expect(rejects.count == 1 && rejects[0].line == 4 && rejects[0].reason.contains("valid_from"))
    }

    @Test func vehiclesCSV() throws {
        let dir = TempDir()
        let path = dir.file("v.csv", "vehicle_id,company,rated_load_t,terminal_id\n渝F1,万州运输,30,013296257028\n渝F2,,heavy,\n渝F1,dup,30,\n")
        var rejects: [Reject] = []
        let vehicles = try VehicleReader.read(path: path, rejects: &rejects)
        #expect(vehicles == [Vehicle(id: "渝F1", company: "万州运输", ratedLoadT: 30, terminalID: "013296257028")])
        #expect(rejects.map(\.line) == [3, 4])
    }

    @Test func cameraEvents() throws {
        let dir = TempDir()
        let path = dir.file("c.jsonl", """
            {"event_id":"E-1","checkpoint_id":"KK-07","time":"2026-11-20T22:40:11+08:00","plate":"渝F12345","type":"unsealed","confidence":0.93,"image":"snapshots/E-1.jpg"}
            {"event_id":"E-2","checkpoint_id":"KK-07","time":"2026-11-20T22:40:11+08:00","plate":"渝F12345","type":"parked","confidence":0.93}
            {"event_id":"E-3","checkpoint_id":"KK-07","time":"2026-11-20T22:40:11","plate":"渝F12345","type":"pass","confidence":0.93}
            {"event_id":"E-4","checkpoint_id":"KK-07","time":"2026-11-20T22:40:11+08:00","plate":"渝F12345","type":"pass","confidence":1.5}
            """)
        var rejects: [Reject] = []
        let events = try CameraReader.read(path: path, rejects: &rejects).allEvents
        #expect(events.count == 1 && events[0].type == .unsealed && events[0].image == "snapshots/E-1.jpg")
        #expect(rejects.map(\.line) == [2, 3, 4])
        #expect(rejects[0].reason.contains("unknown type 'parked'"))
    }

    @Test func configOverridesAndRejectsTypos() throws {
        let dir = TempDir()
        let good = dir.file("c.json", """
            {"speed_limit_kmh": 50, "dwell_min_s": 240, "timezone": "Asia/Urumqi",
             "departments": {"speeding": ["highway_patrol"]}, "projection_epsg": 4545}
            """)
        let c = try ConfigReader.read(path: good)
        #expect(c.speedLimitKmh == 50 && c.dwellMinS == 240 && c.projectionEPSG == 4545)
        #expect(c.clock.offsetSeconds == 6 * 3600)
        #expect(c.departments[.speeding] == ["highway_patrol"] && c.departments[.spill] == ["city_management"])
        let typo = dir.file("t.json", #"{"speed_limt_kmh": 50}"#)
        do {
            _ = try ConfigReader.read(path: typo)
            Issue.record("typo accepted")
        } catch {
            #expect(error.description.contains("unknown key 'speed_limt_kmh'") && error.description.contains("speed_limit_kmh"))
        }
        #expect(throws: IngestError.self) { try ConfigReader.read(path: dir.file("z.json", #"{"timezone": "Mars/Base"}"#)) }
        // Found by the fuzzer: numbers too large for an integer were converted (and trapped) before being refused.
        #expect(throws: IngestError.self) { try ConfigReader.read(path: dir.file("e.json", #"{"projection_epsg": 4522222222222222222222222222246}"#)) }
        #expect(throws: IngestError.self) { try ConfigReader.read(path: dir.file("s.json", #"{"dwell_min_s": 1e300}"#)) }
    }
}

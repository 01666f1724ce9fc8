import Testing
import MuckWatchCore
@testable import MuckWatchIngest

/// Gate records (contract section 12): a pass needs a site, a time, a direction and a
/// plate or a tag; weights and the scanned manifest are optional.
@Suite struct GateEventReaderTests {
    static let good = #"{"event_id":"G-1","site":"S-03","time":"2026-11-20T22:30:12+08:00","direction":"out","plate":"渝F12345","rfid":"E2801160600002040C7A5B3F","gross_t":43.1,"tare_t":15.2,"manifest_id":"M-1","image":"gates/G-1.jpg"}"#

    func read(_ text: String, name: String = "g.jsonl") throws -> (events: [GateEvent], rejects: [Reject], path: String) {
        let path = TempDir().file(name, text)
        var rejects: [Reject] = []
        let events = try GateEventReader.read(path: path, rejects: &rejects)
        return (events, rejects, path)
    }

    @Test func aWeighedPassIsReadWhole() throws {
        let r = try read(Self.good)
        #expect(r.rejects.isEmpty)
        #expect(r.events == [GateEvent(id: "G-1", site: "S-03", time: TimeParser.parse("2026-11-20T22:30:12+08:00")!,
                                       direction: .out, plate: "渝F12345", rfid: "E2801160600002040C7A5B3F", grossT: 43.1,
                                       tareT: 15.2, manifestID: "M-1", image: "gates/G-1.jpg")])
        #expect(abs(r.events[0].netT! - 27.9) < 1e-9)
    }

    /// Keys are found by their length and first 8 bytes, then compared whole: a key that
    /// shares both with a real one (`manifest_ix`, `manifest_id`) is another key, and of a
    /// repeated key the last wins, as Foundation reads it.
    @Test func keysSharingTheirHeadAreToldApart() throws {
        let r = try read("""
            {"manifest_ix":"M-wrong","event_id":"G-5","site":"S-03","time":1795187000,"direction":"in","plate":"渝F1","manifest_id":"M-5","imagex":"x.jpg","image":"a.jpg","image":"b.jpg"}
            {"event_id":"G-6","site":"S-03","time":1795187000,"direction":"in","plate":"渝F1","manifest_ix":"M-wrong"}
            """)
        #expect(r.rejects.isEmpty)
        #expect(r.events.map(\.manifestID) == ["M-5", nil])
        #expect(r.events.map(\.image) == ["b.jpg", nil])
    }

    @Test func tagOnlyPlateOnlyStringNumbersAndNulls() throws {
        let r = try read("""
            {"event_id":"G-2","site":"D-01","time":1795187000,"direction":"in","rfid":"E28011","gross_t":"42.9","tare_t":"15.3"}
            {"event_id":"G-3","site":"D-01","time":"1795187100","direction":"out","plate":"渝F1","rfid":null,"gross_t":null,"tare_t":"","manifest_id":null,"image":""}
            {"event_id":"G-4","site":"S-03","time":"2026-11-20T22:50:00+08:00","direction":"in","plate":"","rfid":"E28012","gross_t":40}
            """)
        #expect(r.rejects.isEmpty)
        #expect(r.events.map(\.plate) == [nil, "渝F1", nil])
        #expect(r.events.map(\.rfid) == ["E28011", nil, "E28012"])
        #expect(r.events.map(\.direction) == [.in, .out, .in])
        #expect(r.events[0].grossT == 42.9 && r.events[0].tareT == 15.3 && r.events[0].time == 1_795_187_000)
        #expect(r.events[1].grossT == nil && r.events[1].tareT == nil && r.events[1].manifestID == nil && r.events[1].image == nil)
        #expect(r.events[2].grossT == 40 && r.events[2].netT == nil)       // gross without tare: no net
    }

    @Test func aJSONArrayWithLinesAndADuplicate() throws {
        let r = try read("""
            [{"event_id":"G-1","site":"S-03","time":"2026-11-20T22:30:12+08:00","direction":"in","plate":"渝F1"},
             7,
             {"event_id":"G-1","site":"S-04","time":"2026-11-20T22:40:12+08:00","direction":"in","plate":"渝F1"},
             {"event_id":"G-2","site":"D-01",
              "time":"2026-11-20T22:50:12+08:00","direction":"out","rfid":"E1"}]
            """, name: "g.json")
        #expect(r.events.map(\.id) == ["G-1", "G-2"] && r.events[0].site == "S-03")
        #expect(r.rejects.map(\.line) == [2, 3])
        #expect(r.rejects.first?.reason == "gate event is not a JSON object")
        #expect(r.rejects.last?.reason == "duplicate gate event id G-1: the first is kept")
    }

    @Test(arguments: [
        (#"{"site":"S-1","time":1795183200,"direction":"in","plate":"渝F1"}"#, "missing event_id"),
        (#"{"event_id":"G-9","time":1795183200,"direction":"in","plate":"渝F1"}"#, "gate event G-9: missing site"),
        (#"{"event_id":"G-9","site":"S-1","direction":"in","plate":"渝F1"}"#, "missing time"),
        (#"{"event_id":"G-9","site":"S-1","time":"22:30","direction":"in","plate":"渝F1"}"#, "bad time '22:30'"),
        (#"{"event_id":"G-9","site":"S-1","time":1795183200,"plate":"渝F1"}"#, "missing direction"),
        (#"{"event_id":"G-9","site":"S-1","time":1795183200,"direction":"through","plate":"渝F1"}"#, "unknown direction 'through' (valid: in, out)"),
        (#"{"event_id":"G-9","site":"S-1","time":1795183200,"direction":"in","plate":"","rfid":null}"#, "neither plate nor rfid"),
        (#"{"event_id":"G-9","site":"S-1","time":1795183200,"direction":"in","plate":"渝F1","gross_t":"4o"}"#, "gross_t '4o' is not a number"),
        (#"{"event_id":"G-9","site":"S-1","time":1795183200,"direction":"in","plate":"渝F1","tare_t":[15]}"#, "tare_t '?' is not a number"),
        (#"{"event_id":"G-9","site":"S-1","time":1795183200,"direction":"in","plate":"渝F1","tare_t":-15.2}"#, "tare_t -15.2 is negative"),
        (#""G-9""#, "gate event is not a JSON object"),
        (#"event_id=G-9"#, "not JSON"),
    ])
    func everyBadRecordIsARejectNamingItsField(line: String, reason: String) throws {
        let r = try read(Self.good + "\n" + line + "\n")
        #expect(r.events.map(\.id) == ["G-1"])
        #expect(r.rejects.count == 1 && r.rejects.first?.line == 2 && r.rejects.first?.file == r.path)
        #expect(r.rejects.first?.reason.contains(reason) == true, "\(r.rejects) lacks \(reason)")
    }

    @Test func aFileThatIsNotJSONIsAnErrorNamingTheFile() {
        expectUnreadable([("g.csv", "event_id,site,time\nG-1,S-03,2026-11-20T22:30:12+08:00\n"), ("g.json", "[1,2"), ("g.jsonl", "")],
                         as: "gate events") { path in
            var rejects: [Reject] = []
            _ = try GateEventReader.read(path: path, rejects: &rejects)
        }
    }
}

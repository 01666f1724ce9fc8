import Foundation
import Testing
import MuckWatchCore
import MuckWatchJournal
import MuckWatchJT808
import MuckWatchStore
import MuckWatchIngest
import MuckWatchJudge
import MuckWatchTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A JT/T 808 terminal that keeps what was not acknowledged and sends it again after a
/// reconnect (as a blind-area upload, 0x0704 type 1), as real terminals do.
final class ResendingTerminal {
    let phone: JT808Phone
    let plate: String
    private var socket: TestSocket?
    private var code: String?
    private var serial: UInt16 = 0
    /// Messages sent and not yet acknowledged: serial → their fixes.
    private var pending: [(serial: UInt16, fixes: [Fix])] = []
    private(set) var acked: [Fix] = []

    init(phone: JT808Phone, plate: String) {
        self.phone = phone
        self.plate = plate
    }

    var unacknowledged: [Fix] { pending.flatMap(\.fixes) }

    private func frame(_ id: UInt16, _ body: [UInt8]) -> [UInt8] {
        serial &+= 1
        return JT808Encoder.frame(JT808Header(messageID: id, phone: phone, serial: serial), body: body)
    }

    /// Connects, registering the first time and authenticating with the code kept since.
    func connect(port: Int) throws {
        let s = try TestSocket(port: port, timeout: 20)
        socket = s
        if code == nil {
            let body = JT808Registration(province: 50, city: 101, makerID: "MW", model: "T1", terminalID: "0000001",
                                         plateColor: 2, plate: plate).encode(is2019: false)
            s.send(frame(JT808MessageID.registration, body))
            guard let f = s.frames(1).first, case .registrationAck(let r)? = try? JT808Message.decode(header: f.header, body: f.body),
                  let c = r.authCode else { throw GatewayProcessError.notListening("no registration ack for \(plate)") }
            code = c
        }
        s.send(frame(JT808MessageID.authentication, JT808Authentication(code: code!).encode(is2019: false)))
        guard let a = s.frames(1).first, a.generalAck?.result == 0 else {
            throw GatewayProcessError.notListening("authentication refused for \(plate)")
        }
    }

    func send(_ f: Fix) {
        socket?.send(frame(JT808MessageID.location, JT808LocationReport(fix: f).encode()))
        pending.append((serial, [f]))
    }

    /// Sends everything unacknowledged again, in order, in blind-area uploads of up to 40 fixes.
    func resend() {
        let all = unacknowledged
        pending = []
        for start in stride(from: 0, to: all.count, by: 40) {
            let part = Array(all[start..<min(all.count, start + 40)])
            let body = JT808BatchLocation(type: 1, reports: part.map { JT808LocationReport(fix: $0) }).encode()
            socket?.send(frame(JT808MessageID.batchLocation, body))
            pending.append((serial, part))
        }
    }

    /// Reads the acks of the pending messages until all came or the connection ended.
    func collectAcks() {
        guard let socket, !pending.isEmpty else { return }
        let frames = socket.frames(pending.count)
        for f in frames {
            guard let ack = f.generalAck, ack.result == 0, let k = pending.firstIndex(where: { $0.serial == ack.replySerial }) else { continue }
            acked += pending[k].fixes
            pending.remove(at: k)
        }
    }

    func hangUp() {
        socket?.disconnect()
        socket = nil
    }
}

/// Issue #24's proof: a night fed over TCP to the real gateway process, killed with
/// SIGKILL at seeded random moments and restarted, against the same night uninterrupted.
@Suite(.serialized) struct JournalKillTests {
    struct Run {
        var cases: [String]
        var journaled: [String: Int]
        var acked: [Fix]
        var readySeconds: [Double]
        var journal: String
    }

    static let root = BundledSample.root

    /// The sample night's fixes of registered terminals, in time order.
    static func feed() throws -> (fixes: [Fix], plates: PlateTable, terminals: [ResendingTerminal]) {
        let refs = try GatewayFixture.references()
        var plates = PlateTable()
        var fixes: [Fix] = []
        var rejects: [Reject] = []
        _ = try TraceReader.read(path: root + "/traces/traces.csv", fileIndex: 0, plates: &plates, fixes: &fixes,
                                 rejects: &rejects)
        var terminals: [ResendingTerminal] = []
        var byPlate: [String: Int] = [:]
        for v in refs.vehicles {
            guard let t = v.terminalID, let phone = JT808Phone(digits: t), plates.lookup(v.id) != nil else { continue }
            byPlate[v.id] = terminals.count
            terminals.append(ResendingTerminal(phone: phone, plate: v.id))
        }
        fixes = fixes.filter { byPlate[plates[$0.vehicle]] != nil }
        fixes.sort { ($0.time, $0.vehicle, $0.line) < ($1.time, $1.vehicle, $1.line) }
        return (fixes, plates, terminals)
    }

    static func key(_ plate: String, _ f: Fix) -> String { "\(plate)|\(f.time)|\(f.lon)|\(f.lat)" }

    /// Feeds the night in chunks of 150 fixes; after the chunks in `kills` (each with a
    /// delay in microseconds) the gateway is killed with SIGKILL, restarted, and every
    /// terminal reconnects and resends what has no ack.
    static func run(in dir: String, kills: [Int: UInt32]) throws -> Run {
        let (fixes, plates, terminals) = try feed()
        let byPlate = Dictionary(uniqueKeysWithValues: terminals.map { ($0.plate, $0) })
        let port = GatewayProcess.freePort()
        let journal = dir + "/journal"
        let args = ["--db", dir + "/cases.sqlite", "--fences", root + "/geofences", "--permits", root + "/traces/permits.json",
                    "--vehicles", root + "/traces/vehicles.csv", "--cameras", root + "/traces/cameras.jsonl",
                    "--reorder-window", "3600", "--shards", "2", "--journal", journal]
        var gateway = try GatewayProcess(port: port, arguments: args)
        var ready = [gateway.secondsToReady]
        for t in terminals { try t.connect(port: port) }
        let chunks = stride(from: 0, to: fixes.count, by: 150).map { fixes[$0..<min(fixes.count, $0 + 150)] }
        for (k, chunk) in chunks.enumerated() {
            for f in chunk { byPlate[plates[f.vehicle]]!.send(f) }
            if let delay = kills[k] {
                usleep(delay)
                gateway.kill9()
                for t in terminals { t.collectAcks(); t.hangUp() }
                gateway = try GatewayProcess(port: port, arguments: args)
                ready.append(gateway.secondsToReady)
                // It replayed the day so far before it listened.
                #expect(gateway.text.contains("journal replayed"))
                #expect(!gateway.text.contains("records=0 "))
                for t in terminals {
                    try t.connect(port: port)
                    t.resend()
                }
            }
            for t in terminals { t.collectAcks() }
        }
        #expect(terminals.allSatisfy { $0.unacknowledged.isEmpty })
        for t in terminals { t.hangUp() }
        #expect(gateway.stop() == 0)

        let store = try CaseStore(path: dir + "/cases.sqlite")
        let cases = try store.listCases(CaseFilter()).map { "\($0.caseID) \($0.violationTypes.map(\.rawValue))" }.sorted()
        var journaled: [String: Int] = [:]
        for (_, day) in JournalDay.days(in: journal) {
            var read = PlateTable()
            var entries: [JournalEntry] = []
            let s = try JournalReader.fixes(day: day, plates: &read, entries: &entries)
            #expect(s.damage.allSatisfy { $0.kind == .tornTail })
            for e in entries { journaled[key(read[e.fix.vehicle], e.fix), default: 0] += 1 }
        }
        let acked = terminals.flatMap(\.acked)
        return Run(cases: cases, journaled: journaled, acked: acked, readySeconds: ready, journal: journal)
    }

    @Test(.enabled(if: BuiltBinary.path != nil, "the muckwatch binary is not built"))
    func killedAndRestartedTheGatewayLosesNoAckedFixAndFindsTheSameCases() throws {
        let base = NSTemporaryDirectory() + "muckwatch-kill-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: base) }
        for d in ["killed", "whole", "batch"] {
            try FileManager.default.createDirectory(atPath: base + "/" + d, withIntermediateDirectories: true)
        }
        // Seeded: three kills at random chunks, each after a random 0–30 ms of the gateway's work.
        var rng = SeededRandom(seed: 24)
        let (fixes, plates, _) = try Self.feed()
        let chunkCount = (fixes.count + 149) / 150
        var kills: [Int: UInt32] = [:]
        while kills.count < 3 { kills[rng.int(in: 5...(chunkCount - 5))] = UInt32(rng.int(in: 0...30_000)) }

        let killed = try Self.run(in: base + "/killed", kills: kills)
        let whole = try Self.run(in: base + "/whole", kills: [:])

        // Every fix was acknowledged in the end, and each is in the journal exactly once.
        let feedKeys = Set(fixes.map { Self.key(plates[$0.vehicle], $0) })
        #expect(Set(killed.journaled.keys) == feedKeys)
        #expect(killed.journaled.values.allSatisfy { $0 == 1 })
        #expect(killed.journaled == whole.journaled)
        // The cases equal the uninterrupted run's...
        #expect(!whole.cases.isEmpty)
        #expect(killed.cases == whole.cases)
        // ... and a batch run over the killed gateway's journal day.
        let day = try #require(JournalDay.days(in: killed.journal).last?.path)
        let (status, _) = try BuiltBinary.run(BuiltBinary.path!, [
            "analyze", "--traces", day, "--fences", Self.root + "/geofences", "--permits", Self.root + "/traces/permits.json",
            "--vehicles", Self.root + "/traces/vehicles.csv", "--cameras", Self.root + "/traces/cameras.jsonl",
            "--out", base + "/batch", "--quiet"])
        #expect(status == 0)
        let batch = try CaseStore(path: base + "/batch/muckwatch.sqlite").listCases(CaseFilter())
            .map { "\($0.caseID) \($0.violationTypes.map(\.rawValue))" }.sorted()
        #expect(batch == whole.cases)
        // The operator's tools on the same journal: verify passes, export writes every fix once.
        #expect(try BuiltBinary.run(BuiltBinary.path!, ["journal", "verify", killed.journal]).status == 0)
        let date = (day as NSString).lastPathComponent
        let (exported, csv) = try BuiltBinary.run(BuiltBinary.path!, ["journal", "export", killed.journal, "--date", date])
        #expect(exported == 0)
        let rows = csv.split(separator: "\n")
        #expect(rows.first == "vehicle_id,time,lon,lat,speed_kmh,heading,lift,lid,load_t")
        #expect(rows.count - 1 == feedKeys.count)
        print("journal kill test: kills after chunks \(kills.keys.sorted()), seconds to ready \(killed.readySeconds)")
    }
}

import Foundation
import MuckWatchTestSupport
import Testing
import MuckWatchCore
import MuckWatchJudge
import MuckWatchGateway
import MuckWatchIngest
import MuckWatchJT808
import MuckWatchLive
import MuckWatchBatch
import MuckWatchStore
import NIOCore
import MuckWatchJournal

/// A gateway on loopback (free ports) over the bundled sample's references and a
/// temporary store, and the codec-built frames a terminal sends it.
final class GatewayFixture {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    let dir: String
    /// The store the gateway writes (a file in `dir`, or a PostgreSQL schema of its own).
    let storePath: String
    let server: GatewayServer
    let port: Int
    let alertsPort: Int
    let references: References
    /// Whether the fixture made its PostgreSQL schema (and so drops it): not when told `storePath`.
    private let ownsSchema: Bool
    private var serial: UInt16 = 0

    /// - Parameters:
    ///   - storePath: the store (default: a new one of `backend`, in the fixture's folder for
    ///     SQLite); its auth key is used.
    ///   - maxQueuedFixes: the engine's bound per shard.
    ///   - alertBacklogBytes, alertKeepAliveSeconds: the alert streams' (default: the server's).
    init(reorderWindow: Int64 = 3600, idleTimeout: Int64 = 180, storePath: String? = nil,
         backend: StoreBackend = .sqlite, shards: Int = 2,
         maxQueuedFixes: Int? = nil, alertBacklogBytes: Int? = nil, alertKeepAliveSeconds: Int64? = nil,
         journal: JournalWriter.Options? = nil, journalDir: String? = nil) throws {
        // The schema first: without a server configured, no folder is left behind.
        let schema = storePath == nil && backend == .postgres ? try TestPostgres.freshSchema() : nil
        dir = NSTemporaryDirectory() + "muckwatch-gateway-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        references = try Self.references()
        var options = LiveAnalysis.Options()
        options.reorderWindowSeconds = reorderWindow
        self.storePath = storePath ?? schema ?? dir + "/cases.sqlite"
        ownsSchema = schema != nil
        let store = try CaseStore(path: self.storePath)
        let partition = try LivePartition(references: references, store: store, options: options, shards: shards)
        var engineOptions = LiveEngine.Options()
        if let maxQueuedFixes { engineOptions.maxQueuedFixes = maxQueuedFixes }
        let hub = AlertHub(clock: references.config.clock)
        var c = GatewayServer.Configuration()
        c.host = "127.0.0.1"
        c.port = 0
        c.alertsPort = 0
        c.threads = 2
        c.idleTimeoutSeconds = idleTimeout
        c.authKey = try store.key(named: GatewayServer.Configuration.authKeyName)
        if let alertBacklogBytes { c.alertBacklogBytes = alertBacklogBytes }
        if let alertKeepAliveSeconds { c.alertKeepAliveSeconds = alertKeepAliveSeconds }
        let engine = LiveEngine(partition: partition, hub: hub, options: engineOptions)
        if let journal {
            let path = journalDir ?? dir + "/journal"
            let r = try JournalRecovery.replay(directory: path, into: engine, plates: partition.shards[0].plates,
                                               clock: journal.clock)
            c.journal = JournalWriter(directory: path, plates: partition.shards[0].plates.plates, options: journal,
                                      recent: r.recent)
        }
        server = GatewayServer(engine: engine, hub: hub, configuration: c)
        let a = try server.start()
        port = a.gateway.port!
        alertsPort = a.alerts.port!
    }

    deinit {
        server.stop()
        try? FileManager.default.removeItem(atPath: dir)
        if ownsSchema { TestPostgres.drop(storePath) }
    }

    static func references() throws -> References {
        try References.load(ReferenceFiles(fences: root + "/geofences", cameras: root + "/traces/cameras.jsonl",
                                           permits: root + "/traces/permits.json", vehicles: root + "/traces/vehicles.csv"))
    }

    /// The sample's registered vehicles: plate and terminal phone.
    func terminal(_ k: Int) -> (plate: String, phone: JT808Phone) {
        let v = references.vehicles.filter { $0.terminalID != nil }[k]
        return (v.id, JT808Phone(digits: v.terminalID!)!)
    }

    /// Every sample fix of `plate`, in file order.
    static func fixes(of plate: String) throws -> [Fix] {
        var plates = PlateTable()
        var fixes: [Fix] = []
        var rejects: [Reject] = []
        _ = try TraceReader.read(path: root + "/traces/traces.csv", fileIndex: 0, plates: &plates, fixes: &fixes,
                                 rejects: &rejects)
        return fixes.filter { plates[$0.vehicle] == plate }
    }

    func header(_ id: UInt16, _ phone: JT808Phone) -> JT808Header {
        serial &+= 1
        return JT808Header(messageID: id, phone: phone, serial: serial)
    }

    func registration(_ phone: JT808Phone, plate: String) -> [UInt8] {
        let body = JT808Registration(province: 50, city: 101, makerID: "MW", model: "T1", terminalID: "0000001",
                                     plateColor: 2, plate: plate).encode(is2019: false)
        return JT808Encoder.frame(header(JT808MessageID.registration, phone), body: body)
    }

    func authentication(_ phone: JT808Phone, code: String) -> [UInt8] {
        JT808Encoder.frame(header(JT808MessageID.authentication, phone),
                           body: JT808Authentication(code: code).encode(is2019: false))
    }

    func location(_ phone: JT808Phone, _ fix: Fix) -> [UInt8] {
        JT808Encoder.frame(header(JT808MessageID.location, phone), body: JT808LocationReport(fix: fix).encode())
    }

    func batch(_ phone: JT808Phone, _ fixes: [Fix]) -> [UInt8] {
        JT808Encoder.frame(header(JT808MessageID.batchLocation, phone),
                           body: JT808BatchLocation(type: 0, reports: fixes.map { JT808LocationReport(fix: $0) }).encode())
    }

    func heartbeat(_ phone: JT808Phone) -> [UInt8] {
        JT808Encoder.frame(header(JT808MessageID.heartbeat, phone), body: [])
    }

    /// A connection on which terminal `k` of the sample has registered and authenticated.
    func loggedIn(_ k: Int, timeout: Int = 10) throws -> (socket: TestSocket, plate: String, phone: JT808Phone) {
        let (plate, phone) = terminal(k)
        let socket = try TestSocket(port: port, timeout: timeout)
        _ = try #require(logIn(socket, phone, plate: plate))
        return (socket, plate, phone)
    }

    /// Registers and authenticates `phone` on `socket`; returns the auth code.
    func logIn(_ socket: TestSocket, _ phone: JT808Phone, plate: String) -> String? {
        socket.send(registration(phone, plate: plate))
        guard let f = socket.frames(1).first, f.header.messageID == JT808MessageID.registrationAck,
              case .registrationAck(let r)? = try? JT808Message.decode(header: f.header, body: f.body),
              r.result == 0, let code = r.authCode else { return nil }
        socket.send(authentication(phone, code: code))
        guard let a = socket.frames(1).first, case .platformGeneralAck(let ack)? =
                try? JT808Message.decode(header: a.header, body: a.body), ack.result == 0 else { return nil }
        return code
    }
}

extension JT808Frame {
    /// The decoded 0x8001 of this frame, if it is one.
    var generalAck: JT808GeneralAck? {
        guard case .platformGeneralAck(let a)? = try? JT808Message.decode(header: header, body: body) else { return nil }
        return a
    }
}

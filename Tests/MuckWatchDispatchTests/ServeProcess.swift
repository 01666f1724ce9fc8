import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif
import MuckWatchTestSupport

/// A real `muckwatch` process (the built binary): `serve` on a free loopback port, or
/// `gateway` with its alert listener (and `/metrics`) on one.
final class ServeProcess {
    static var binary: String? {
        let candidates = [
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("muckwatch").path,
            BundledSample.root + "/.build/debug/muckwatch",
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    let process = Process()
    let port: Int

    /// Starts serve and returns once its banner says it listens.
    convenience init(db: String, config: String) throws {
        let port = Self.freePort()
        try self.init(port: port, arguments: ["serve", "--db", db, "--port", String(port), "--config", config],
                      banner: "MuckWatch review app on", onStandardError: false)
    }

    /// Starts the gateway on the bundled sample's references and returns once it logs that it listens.
    static func gateway(db: String, config: String) throws -> ServeProcess {
        let port = freePort(), r = BundledSample.root
        return try ServeProcess(port: port, arguments: [
            "gateway", "--db", db, "--config", config, "--fences", r + "/geofences", "--permits", r + "/traces/permits.json",
            "--vehicles", r + "/traces/vehicles.csv", "--listen", "127.0.0.1:\(freePort())", "--alerts", "127.0.0.1:\(port)",
            "--stats-every", "0",
        ], banner: "listening", onStandardError: true)
    }

    private init(port: Int, arguments: [String], banner: String, onStandardError: Bool) throws {
        self.port = port
        process.executableURL = URL(fileURLWithPath: Self.binary!)
        process.arguments = arguments
        let out = Pipe()
        if onStandardError {
            process.standardError = out
            process.standardOutput = FileHandle.nullDevice
        } else {
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
        }
        let output = ProcessOutput(out, waitingFor: banner)
        try process.run()
        guard output.waitForBanner(seconds: 60), process.isRunning else {
            throw CocoaError(.executableLoad)
        }
    }

    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    /// GET `path`: status and body.
    func get(_ path: String) async throws -> (Int, String) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    /// Asks `/readyz` every 20 ms until it answers 200 "ready"; `false` after `seconds`.
    func waitUntilReady(seconds: Double = 30) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await get("/readyz") == (200, "ready\n") { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    /// A port nothing listens on now.
    static func freePort() -> Int { FreePort.next() }
}

/// A `--config` file with both departments' webhooks at `url` and short retry settings.
func writeDispatchConfig(_ path: String, url: String, secret: String, timeoutMs: Int = 500, rules: String = "[]") {
    let json = """
        {"dispatch_webhooks": {"city_management": {"url": "\(url)", "secret": "\(secret)"},
                               "housing_construction": {"url": "\(url)", "secret": "\(secret)"}},
         "dispatch_worker": {"first_delay_ms": 50, "max_delay_s": 1, "timeout_ms": \(timeoutMs), "poll_ms": 20,
                             "scan_every_ms": 50},
         "auto_dispatch": \(rules)}
        """
    FileManager.default.createFile(atPath: path, contents: Data(json.utf8))
}

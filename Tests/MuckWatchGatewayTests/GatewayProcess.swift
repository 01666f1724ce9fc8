import Foundation
#if canImport(Glibc)
import Glibc
#endif
import MuckWatchCore
import MuckWatchTestSupport

/// The built `muckwatch gateway` as a process of its own, so it can be killed with SIGKILL
/// as power loss or the OOM killer would. Its log is read to the end (an unread pipe would
/// block its logging); start returns when it logs that it listens.
final class GatewayProcess {
    let process = Process()
    let port: Int
    /// Seconds from launch to listening (references, replay of the journal, bind).
    private(set) var secondsToReady = 0.0
    private let output: ProcessOutput

    init(port: Int, arguments: [String]) throws {
        self.port = port
        process.executableURL = URL(fileURLWithPath: BuiltBinary.path!)
        process.arguments = ["gateway", "--listen", "127.0.0.1:\(port)", "--alerts", "127.0.0.1:\(Self.freePort())",
                             "--stats-every", "0"] + arguments
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = FileHandle.nullDevice
        output = ProcessOutput(pipe, waitingFor: "listening")
        let started = Date()
        try process.run()
        guard output.waitForBanner(seconds: 120), process.isRunning else {
            throw GatewayProcessError.notListening(output.all)
        }
        secondsToReady = Date().timeIntervalSince(started)
    }

    var text: String { output.all }

    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM: the gateway finishes every vehicle into the store and exits.
    func stop() -> Int32 {
        guard process.isRunning else { return process.terminationStatus }
        process.terminate()
        process.waitUntilExit()
        return process.terminationStatus
    }

    static func freePort() -> Int { FreePort.next() }
}

enum GatewayProcessError: Error { case notListening(String) }

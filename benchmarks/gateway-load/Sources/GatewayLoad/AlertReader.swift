import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads the gateway's SSE stream on its own thread and times each `event: case`.
final class AlertReader: @unchecked Sendable {
    let port: Int
    let clock: AlertClock
    let terminalOf: [String: Int]
    private var fd: Int32 = -1
    private(set) var connected = false

    init(port: Int, clock: AlertClock, terminalOf: [String: Int]) {
        self.port = port
        self.clock = clock
        self.terminalOf = terminalOf
    }

    /// Connects and waits for the stream's opening comment; then reads on a thread.
    func start() -> Bool {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let r = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard r == 0 else { return false }
        let req = Array("GET /alerts HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".utf8)
        _ = req.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var head: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 4096)
        while !String(decoding: head, as: UTF8.self).contains(": muckwatch alerts") {
            let n = buf.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return false }
            head += buf[0..<n]
        }
        connected = true
        Thread.detachNewThread { [self] in loop() }
        return true
    }

    func stop() {
        if fd >= 0 { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    private func loop() {
        var buf = [UInt8](repeating: 0, count: 65536)
        var line: [UInt8] = []
        let prefix = Array("data: ".utf8)
        while true {
            let n = buf.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return }
            let t = now()
            for b in buf[0..<n] {
                if b != 0x0A { line.append(b); continue }
                if line.starts(with: prefix),
                   let obj = try? JSONSerialization.jsonObject(with: Data(line[prefix.count...])) as? [String: Any],
                   let plate = obj["vehicle_id"] as? String, let terminal = terminalOf[plate] {
                    clock.received(terminal: terminal, at: t)
                }
                line.removeAll(keepingCapacity: true)
            }
        }
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MuckWatchJT808

/// A blocking loopback TCP client: what a terminal (or an alert viewer) does, byte for
/// byte. Reads give up after `timeout` seconds so a broken server fails a test instead of
/// hanging it.
final class TestSocket {
    let fd: Int32
    private var pending: [UInt8] = []

    init(port: Int, timeout: Int = 10) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var tv = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let r = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard r == 0 else { close(fd); throw TestSocketError.connect(errno) }
    }

    deinit { close(fd) }

    /// Hangs up (both directions), as a terminal losing its network does.
    func disconnect() { shutdown(fd, Int32(SHUT_RDWR)) }

    func send(_ bytes: [UInt8]) {
        var off = 0
        while off < bytes.count {
            let n = bytes[off...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            off += n
        }
    }

    func send(_ text: String) { send(Array(text.utf8)) }

    /// Next bytes from the peer; empty at end of stream (or on timeout).
    func receive() -> [UInt8] {
        if !pending.isEmpty { defer { pending = [] }; return pending }
        var buf = [UInt8](repeating: 0, count: 65536)
        let n = buf.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        return n > 0 ? Array(buf[0..<n]) : []
    }

    /// True when the peer has closed the connection (reads return end of stream).
    func isClosedByPeer() -> Bool {
        while true {
            let b = receive()
            if b.isEmpty { return true }
        }
    }

    /// The next `count` frames the server sent, decoded; fewer if the stream ends.
    func frames(_ count: Int) -> [JT808Frame] {
        var out: [JT808Frame] = []
        var run: [UInt8] = []
        var leftover: [UInt8] = []
        while out.count < count {
            let bytes = receive()
            if bytes.isEmpty { break }
            for (i, b) in bytes.enumerated() {
                if b == 0x7E {
                    if !run.isEmpty, let f = try? JT808Frame.decode(run) { out.append(f) }
                    run = []
                    if out.count == count { leftover = Array(bytes[(i + 1)...]); break }
                } else {
                    run.append(b)
                }
            }
        }
        pending = leftover.isEmpty ? [] : [0x7E] + leftover
        return out
    }

    /// Reads the text stream until `marker` appears; returns everything read (empty on timeout).
    func text(until marker: String) -> String {
        var all: [UInt8] = []
        while true {
            let b = receive()
            if b.isEmpty { return "" }
            all += b
            let s = String(decoding: all, as: UTF8.self)
            if s.contains(marker) { return s }
        }
    }
}

enum TestSocketError: Error { case connect(Int32) }

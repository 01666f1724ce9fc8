import Foundation
import Hummingbird
import HummingbirdTesting
import MuckWatchReview
import MuckWatchTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("Review app under abuse (real sockets)")
struct AbuseTests {
    /// A raw TCP connection to the app, for clients that never finish a request.
    final class RawConnection {
        let fd: Int32

        init(port: Int) throws {
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_port = in_port_t(UInt16(port).bigEndian)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            let rc = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard rc == 0 else { throw POSIXError(.ECONNREFUSED) }
            var tv = timeval(tv_sec: 90, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        }

        func send(_ text: String) { _ = text.withCString { Glibc.send(fd, $0, strlen($0), 0) } }

        /// True when the server closed the connection (a read returns end of file).
        func closedByServer() -> Bool {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = recv(fd, &buffer, buffer.count, 0)
                if n == 0 { return true }
                if n < 0 { return false }
            }
        }

        /// The first line the server sends ("" when it closed the connection or sent nothing
        /// within the receive timeout).
        func readLine() -> String {
            var buffer = [UInt8](repeating: 0, count: 1024)
            var n: Int
            repeat { n = recv(fd, &buffer, buffer.count, 0) } while n < 0 && errno == EINTR
            return n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self).components(separatedBy: "\r\n")[0] : ""
        }

        deinit { close(fd) }
    }

    @Test("Idle and slow clients are cut after the idle timeout; the app keeps serving meanwhile", arguments: StoreBackend.allCases)
    func idleAndSlowClients(backend: StoreBackend) async throws {
        let world = try await ReviewWorld.make(backend)
        defer { world.cleanup() }
        // 10 s, not 1 or 3: with the whole suite running on two cores, a fresh connection can
        // wait seconds to be read, and the idle cut then races the request (seen at 1 s twice,
        // at 3 s once in CI on 2026-12-03: the served request's connection was cut unanswered).
        let configuration = ReviewConfiguration(database: world.db, port: 0, idleTimeoutSeconds: 10)
        let app = try ReviewApp.application(configuration: configuration)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            // The blocking reads on a thread of their own, not on one the app answers on.
            let seen = try await BlockingSetup.waiting {
                let idle = try (0..<200).map { _ in try RawConnection(port: port) }
                let slow = try RawConnection(port: port)
                slow.send("GET /cases HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")   // never finishes its headers
                // Requests go over fresh raw connections: the test client's own pooled connection may
                // itself sit idle past the timeout on a busy machine.
                let login = try Self.served("/login", port: port, idleTimeout: 10)
                let slowCut = slow.closedByServer()
                let idleCut = idle.allSatisfy { $0.closedByServer() }
                // Still serving after cutting them.
                return (login: login, slowCut: slowCut, idleCut: idleCut,
                        health: try Self.served("/healthz", port: port, idleTimeout: 10))
            }
            #expect(seen.login)
            #expect(seen.slowCut)
            #expect(seen.idleCut)
            #expect(seen.health)
        }
    }

    /// Whether a GET on a fresh connection is answered 200. A connection closed unanswered
    /// before the idle timeout is a failure; one closed only after it means the request sat
    /// unread on a starved machine (CI runs this suite beside 120 others on two cores, and lost
    /// the race once on 2026-12-03), and is asked again, at most three times.
    static func served(_ path: String, port: Int, idleTimeout: Double) throws -> Bool {
        for _ in 0..<3 {
            let start = Date()
            let connection = try RawConnection(port: port)
            connection.send("GET \(path) HTTP/1.1\r\nHost: localhost\r\n\r\n")
            let line = connection.readLine()
            if line.hasPrefix("HTTP/1.1 200") { return true }
            if !line.isEmpty || Date().timeIntervalSince(start) < idleTimeout { return false }
        }
        return false
    }
}

import Foundation
import Hummingbird
import HummingbirdTesting
import MuckWatchReview
import Synchronization
import Testing
import MuckWatchTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `muckwatch serve` prints where the app is only once its socket is bound (issue #25): the
/// app tells its caller the bound port, and never does when binding fails.
@Suite("The app says where it listens only once it does")
struct ListeningTests {
    @Test(arguments: StoreBackend.allCases) func theBoundPortIsToldOnceTheServerRuns(backend: StoreBackend) async throws {
        let world = try await ReviewWorld.make(backend)
        defer { world.cleanup() }
        let told = Mutex<[Int]>([])
        // A long idle cut: the live client connects before the body runs (see APIWorld.test).
        let app = try ReviewApp.application(configuration: ReviewConfiguration(database: world.db, port: 0,
                                                                               idleTimeoutSeconds: 600),
                                            listening: { port in told.withLock { $0.append(port) } })
        try await app.test(.live) { client in
            let port = try #require(client.port)
            #expect(told.withLock { $0 } == [port])
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
        }
    }

    @Test func aBusyPortFailsWithoutSayingItListens() async throws {
        let world = try await ReviewWorld.make()
        defer { world.cleanup() }
        // Hold a port with a listening socket of our own.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { p in
                bind(fd, p, length) == 0 && listen(fd, 1) == 0 && getsockname(fd, p, &length) == 0
            }
        }
        try #require(bound)
        let port = Int(UInt16(bigEndian: addr.sin_port))
        let told = Mutex<[Int]>([])
        let app = try ReviewApp.application(configuration: ReviewConfiguration(database: world.db, port: port),
                                            listening: { port in told.withLock { $0.append(port) } })
        await #expect(throws: (any Error).self) { try await app.runService() }
        #expect(told.withLock { $0 }.isEmpty)
    }
}

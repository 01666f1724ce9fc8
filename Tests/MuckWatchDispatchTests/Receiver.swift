import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// A department's system in the tests: a real HTTP server on a loopback port that checks
/// each POST's signature and deduplicates by `Idempotency-Key`, answering as `answer` says
/// for the n-th POST (1-based).
final class Receiver: Sendable {
    enum Answer: Sendable {
        case ok
        /// Refuses with this status (the dispatch was not taken).
        case fail(Int)
        /// Takes the dispatch, then answers only after this long (the sender's try times out first).
        case hang(Duration)
    }

    let log: ReceiverLog
    let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    var url: String { "http://127.0.0.1:\(port)/hook" }

    private init(log: ReceiverLog, port: Int, group: ServiceGroup, task: Task<Void, any Error>) {
        self.log = log
        self.port = port
        self.group = group
        self.task = task
    }

    static func start(secret: String, answer: @escaping @Sendable (Int) -> Answer = { _ in .ok }) async throws -> Receiver {
        let log = ReceiverLog()
        let router = Router()
        router.post("/hook") { request, _ -> Response in
            let body = Array(buffer: try await request.body.collect(upTo: 4 << 20))
            let n = await log.post()
            defer { Task { await log.handled() } }
            let key = request.headers[HTTPField.Name("Idempotency-Key")!] ?? ""
            let signature = request.headers[HTTPField.Name("X-MuckWatch-Signature")!] ?? ""
            let valid = Self.verify(signature, body: body, secret: secret)
            switch answer(n) {
            case .ok:
                await log.take(key: key, body: body, signatureValid: valid)
                return Response(status: .ok)
            case .fail(let code):
                return Response(status: HTTPResponse.Status(code: code))
            case .hang(let d):
                await log.take(key: key, body: body, signatureValid: valid)
                try? await Task.sleep(for: d)
                return Response(status: .ok)
            }
        }
        let (ports, portsIn) = AsyncStream<Int>.makeStream()
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in portsIn.yield(channel.localAddress?.port ?? 0) })
        // Run in a service group so `stop` can shut it down gracefully: cancelling the serving
        // task instead can trap in NIO when a connection was accepted but not yet served
        // ("Deinited NIOAsyncWriter without calling finish()", apple/swift-nio#3481; it took
        // the whole test process down once, 2026-12-04).
        let group = ServiceGroup(configuration: .init(services: [app], logger: Logger(label: "receiver")))
        let task = Task { try await group.run() }
        var it = ports.makeAsyncIterator()
        guard let port = await it.next(), port > 0 else { throw CocoaError(.featureUnsupported) }
        return Receiver(log: log, port: port, group: group, task: task)
    }

    /// Stops the server once no handler is still running (a hanging one answers first), and
    /// waits for it to close.
    func stop() async {
        await log.waitUntilIdle()
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }

    /// The receiver's own check, as docs/dispatch.md tells integrators: HMAC-SHA256 of the raw body.
    static func verify(_ header: String, body: [UInt8], secret: String) -> Bool {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(secret.utf8)))
        let hex = mac.map { String(format: "%02x", $0) }.joined()
        return header == "sha256=" + hex
    }
}

/// What a receiver got: every POST counted, each dispatch (key) kept once.
actor ReceiverLog {
    struct Taken: Sendable {
        var body: [UInt8]
        var signatureValid: Bool
        var at: Date
    }

    private(set) var posts = 0
    /// POSTs whose handler has not returned yet.
    private var inFlight = 0
    private var idleWaiters: [CheckedContinuation<Void, Never>] = []
    private(set) var taken: [String: Taken] = [:]
    /// POSTs of a key already taken (the receiver drops them).
    private(set) var duplicates = 0
    private var waiters: [UUID: (count: Int, resume: CheckedContinuation<Bool, Never>)] = [:]
    private var postWaiters: [UUID: (count: Int, resume: CheckedContinuation<Bool, Never>)] = [:]

    func post() -> Int {
        posts += 1
        inFlight += 1
        for (id, w) in postWaiters where posts >= w.count {
            postWaiters[id] = nil
            w.resume.resume(returning: true)
        }
        return posts
    }

    func handled() {
        inFlight -= 1
        if inFlight == 0 {
            for w in idleWaiters { w.resume() }
            idleWaiters = []
        }
    }

    func waitUntilIdle() async {
        if inFlight == 0 { return }
        await withCheckedContinuation { idleWaiters.append($0) }
    }

    func take(key: String, body: [UInt8], signatureValid: Bool) {
        guard taken[key] == nil else {
            duplicates += 1
            return
        }
        taken[key] = Taken(body: body, signatureValid: signatureValid, at: Date())
        for (id, w) in waiters where taken.count >= w.count {
            waiters[id] = nil
            w.resume.resume(returning: true)
        }
    }

    /// Waits until `count` distinct dispatches were taken; `false` after `timeout`.
    func waitForDispatches(_ count: Int, timeout: Duration = .seconds(60)) async -> Bool {
        if taken.count >= count { return true }
        let id = UUID()
        Task { try? await Task.sleep(for: timeout); self.expire(id) }
        return await withCheckedContinuation { waiters[id] = (count, $0) }
    }

    /// Waits until `count` POSTs arrived; `false` after `timeout`.
    func waitForPosts(_ count: Int, timeout: Duration = .seconds(60)) async -> Bool {
        if posts >= count { return true }
        let id = UUID()
        Task { try? await Task.sleep(for: timeout); self.expire(id) }
        return await withCheckedContinuation { postWaiters[id] = (count, $0) }
    }

    private func expire(_ id: UUID) {
        if let w = waiters.removeValue(forKey: id) { w.resume.resume(returning: false) }
        if let w = postWaiters.removeValue(forKey: id) { w.resume.resume(returning: false) }
    }
}

public import Foundation

/// Blocking setup (a night written into a store, a store copied) run on a thread of its own, at
/// most as many at once as there are cores.
///
/// Why: a test's task runs on one of the few cooperative threads (two on the CI machine), and
/// the review app's and API's live servers answer on the same threads. Worlds written into
/// PostgreSQL block theirs for seconds on the server's round trips; with the suites run on both
/// stores, every live request then waited past its client's timeout (seen on 2026-12-04: the
/// API's live cases failing with read timeouts and closed channels on both stores).
public enum BlockingSetup {
    private static let slots = DispatchSemaphore(value: max(1, ProcessInfo.processInfo.activeProcessorCount))

    public static func run<R: Sendable>(_ body: @escaping @Sendable () throws -> R) async throws -> R {
        try await onThread(limited: true, body)
    }

    /// `body`, which mostly waits (blocking socket reads on a live server), on a thread of its
    /// own and without a core's slot: on a cooperative thread it would hold one of the threads
    /// the very server it waits for answers on (two such tests at once held both, and the
    /// review app's idle-cut test failed on both stores).
    public static func waiting<R: Sendable>(_ body: @escaping @Sendable () throws -> R) async throws -> R {
        try await onThread(limited: false, body)
    }

    private static func onThread<R: Sendable>(limited: Bool, _ body: @escaping @Sendable () throws -> R) async throws -> R {
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<R, any Error>) in
            let thread = Thread {
                if limited { slots.wait() }
                defer { if limited { slots.signal() } }
                done.resume(with: Result { try body() })
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }
}

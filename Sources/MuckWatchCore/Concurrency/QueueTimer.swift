public import Dispatch

/// A repeating timer whose handler runs on a given (serial) queue, cancelled at the latest
/// when the timer goes.
///
/// Invariant: a dispatch source is safe to use from any thread (scheduling, resuming and
/// cancelling are synchronised inside libdispatch); Swift does not mark its protocol
/// `Sendable`, hence the `@unchecked`. The handler itself runs only on `queue`.
///
/// A source is made suspended, and libdispatch traps when a suspended source is released: a
/// timer dropped before `start` (an engine set up and stopped without running, a start that
/// failed half-way) is resumed once after cancelling, so it is released cancelled and active.
public final class QueueTimer: @unchecked Sendable {
    private let source: any DispatchSourceTimer
    /// Set once, by `start`; read only in `deinit`, when no other reference is left.
    private var started = false

    /// Made stopped: the first tick comes `interval` after `start`.
    public init(queue: DispatchQueue, every interval: DispatchTimeInterval) {
        source = DispatchSource.makeTimerSource(queue: queue)
        source.schedule(deadline: .now() + interval, repeating: interval)
    }

    /// Sets the handler (run on the queue at every tick) and starts the timer; call once.
    public func start(_ handler: @escaping @Sendable () -> Void) {
        precondition(!started, "a QueueTimer is started once")
        started = true
        source.setEventHandler(handler: handler)
        source.resume()
    }

    /// Stops the ticks; a handler already running finishes.
    public func cancel() { source.cancel() }

    deinit {
        source.cancel()
        if !started { source.resume() }
    }
}

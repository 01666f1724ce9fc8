import Dispatch
import MuckWatchCore
import MuckWatchIngest
import MuckWatchLive

/// The one place `LiveAnalysis` is touched: a serial queue. Connections hand it their
/// fixes (one block per socket read, in read order), so a vehicle's fixes reach its
/// analyzer in the order they arrived, whichever connection carried them; alerts leave
/// through the `AlertHub` as soon as the block that found them ends.
public final class LiveEngine: @unchecked Sendable {
    private let live: LiveAnalysis
    private let queue = DispatchQueue(label: "muckwatch.live", qos: .userInitiated)
    private let hub: AlertHub
    private var finished = false
    private var pendingAlerts: [LiveAlert] = []
    private var publishQueued = false
    private let flusher: any DispatchSourceTimer
    /// Registered terminals (copied out once: read from every event loop without the queue).
    public let terminals: [JT808Phone: Int32]

    /// Takes ownership of `live`: nothing else may call it afterwards.
    /// - Parameter flushEvery: how often judged case refreshes are written to the store
    ///   (new cases and violations are written before their alert, at once) and the
    ///   reorder windows of quiet vehicles are emptied (`LiveAnalysis.releaseQuiet`).
    public init(live: LiveAnalysis, hub: AlertHub, flushEvery: DispatchTimeInterval = .milliseconds(250)) {
        self.live = live
        self.hub = hub
        terminals = live.terminalVehicles
        flusher = DispatchSource.makeTimerSource(queue: queue)
        flusher.schedule(deadline: .now() + flushEvery, repeating: flushEvery)
        flusher.setEventHandler { [unowned self] in
            pendingAlerts += live.releaseQuiet()
            publishPending()
        }
        flusher.resume()
    }

    deinit { flusher.cancel() }

    /// Queues fixes (vehicle indices from `terminals`) for the analysis.
    ///
    /// Alerts are not sent from the block that found them: one publishing block is queued
    /// behind it, which writes every pending change to the store (one transaction however
    /// many reads raised alerts meanwhile) and then sends every pending alert. So a case
    /// is in the store before its alert leaves, and a burst of trip closures is one write.
    func feed(_ fixes: [Fix]) {
        queue.async { [self] in
            guard !finished else { return }
            let alerts = live.feed(fixes)
            guard !alerts.isEmpty else { return }
            pendingAlerts += alerts
            if !publishQueued {
                publishQueued = true
                queue.async { [self] in publishPending() }
            }
        }
    }

    private func publishPending() {
        publishQueued = false
        live.flush()
        let alerts = pendingAlerts
        pendingAlerts = []
        if !alerts.isEmpty { hub.publish(alerts) }
    }

    /// Runs `body` on the analysis after every fix queued so far (tests, stats).
    public func sync<R>(_ body: (LiveAnalysis) -> R) -> R {
        queue.sync { body(live) }
    }

    /// Ends the feed: every queued fix is analyzed, then every vehicle's open state is
    /// judged and written to the store (`LiveAnalysis.finish`). Later fixes are dropped.
    @discardableResult
    public func finish() -> LiveAnalysis.Counters {
        queue.sync {
            if !finished {
                finished = true
                flusher.cancel()
                pendingAlerts += live.finish()
                publishPending()
            }
            return live.counters
        }
    }
}

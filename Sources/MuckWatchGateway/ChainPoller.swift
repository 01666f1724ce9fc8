import Dispatch
import MuckWatchCore
import MuckWatchStore
import MuckWatchLive

/// Brings the manifests, gate records and camera reads that reach the store to the
/// shards: every `every`, on its own serial queue, it polls the store (`ChainInbox`) and
/// hands each shard the current records with the plates whose judgement changed (camera
/// reads to the store writer too, for the cases' evidence). The shards judge those
/// vehicles on their own queues; records never wait behind fixes, nor fixes behind the
/// store's read.
final class ChainPoller: Sendable {
    private struct State {
        let inbox: ChainInbox
        var polls = 0
        var errors = 0
        var lastError: StoreError?
    }
    private let state: QueueConfined<State>
    private let shards: [AnalysisShard]
    private let publisher: AlertPublisher
    private let timer: QueueTimer

    init(inbox: ChainInbox, shards: [AnalysisShard], publisher: AlertPublisher, every: DispatchTimeInterval) {
        let state = QueueConfined(State(inbox: inbox), label: "muckwatch.live.chain")
        self.state = state
        self.shards = shards
        self.publisher = publisher
        timer = QueueTimer(queue: state.queue, every: every)
        timer.start { [shards, publisher] in
            state.onQueue { Self.poll(&$0, shards: shards, publisher: publisher, at: CaseStore.systemNow()) }
        }
    }

    /// Polls now, on the poller's queue (tests; the timer does it every `every`).
    func poll(at now: Int64) {
        state.sync { [shards, publisher] in Self.poll(&$0, shards: shards, publisher: publisher, at: now) }
    }

    /// Stops polling; a poll under way finishes first.
    func stop() {
        timer.cancel()
        state.sync { _ in }
    }

    private static func poll(_ s: inout State, shards: [AnalysisShard], publisher: AlertPublisher, at now: Int64) {
        s.polls += 1
        do {
            let plates = try s.inbox.poll(at: now)
            if !plates.isEmpty {
                let chain = s.inbox.chain
                for shard in shards { shard.rejudge { $0.updateChain(chain, plates: plates, at: now) } }
            }
            let seen = try s.inbox.pollCameras(at: now)
            if !seen.isEmpty {
                let cameras = s.inbox.cameras
                publisher.updateCameras(cameras)
                for shard in shards { shard.rejudge { $0.updateCameras(cameras, plates: seen, at: now) } }
            }
        } catch {
            // The store may be busy or gone for a moment: the cursor did not move, the next poll retries.
            s.errors += 1
            s.lastError = error
        }
    }
}

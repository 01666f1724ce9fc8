import Dispatch
import MuckWatchCore
import MuckWatchStore
import MuckWatchLive

/// Brings the manifests and gate records that reach the store to the shards: every
/// `every`, on its own serial queue, it polls the store (`ChainInbox`) and hands each
/// shard the current records with the plates whose judgement changed. The shards judge
/// those vehicles on their own queues; records never wait behind fixes, nor fixes behind
/// the store's read.
final class ChainPoller: Sendable {
    private struct State {
        let inbox: ChainInbox
        var polls = 0
        var errors = 0
        var lastError: StoreError?
    }
    private let state: QueueConfined<State>
    private let shards: [AnalysisShard]
    private let timer: QueueTimer

    init(inbox: ChainInbox, shards: [AnalysisShard], every: DispatchTimeInterval) {
        let state = QueueConfined(State(inbox: inbox), label: "muckwatch.live.chain")
        self.state = state
        self.shards = shards
        timer = QueueTimer(queue: state.queue, every: every)
        timer.start { [shards] in state.onQueue { Self.poll(&$0, shards: shards, at: CaseStore.systemNow()) } }
    }

    /// Polls now, on the poller's queue (tests; the timer does it every `every`).
    func poll(at now: Int64) {
        state.sync { [shards] in Self.poll(&$0, shards: shards, at: now) }
    }

    /// Stops polling; a poll under way finishes first.
    func stop() {
        timer.cancel()
        state.sync { _ in }
    }

    private static func poll(_ s: inout State, shards: [AnalysisShard], at now: Int64) {
        s.polls += 1
        do {
            let plates = try s.inbox.poll(at: now)
            guard !plates.isEmpty else { return }
            let chain = s.inbox.chain
            for shard in shards { shard.updateChain(chain, plates: plates, at: now) }
        } catch {
            // The store may be busy or gone for a moment: the cursor did not move, the next poll retries.
            s.errors += 1
            s.lastError = error
        }
    }
}

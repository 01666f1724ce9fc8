public import AsyncHTTPClient
import CoreMetrics
import Foundation
public import Logging
import MuckWatchCore
public import MuckWatchStore

/// Drains the dispatch outbox: sends every due delivery to its department's webhook (signed,
/// with its idempotency key), records each try, and schedules the next with backoff; applies
/// the auto-dispatch rules to open cases. Runs inside `serve` and `gateway` until cancelled.
///
/// Why rows and not a queue in memory: a delivery is written with the status change, so a
/// crash at any point leaves it in the store and the next worker sends it; a receiver that
/// deduplicates by `Idempotency-Key` sees each dispatch once even when a try is repeated.
public actor DispatchWorker {
    let store: CaseStore
    let settings: DispatchSettings
    let sender: WebhookSender
    let logger: Logger
    let metrics = DispatchMetrics()
    public nonisolated let state = WorkerState()
    private var nextScanMs: Int64 = 0

    /// Deliveries sent at once, at most.
    static let batch = 64

    /// Opens its own connection to the store at `storePath`.
    public init(storePath: String, settings: DispatchSettings, client: HTTPClient = .shared,
                logger: Logger = Logger(label: "muckwatch.dispatch")) throws(StoreError) {
        store = try CaseStore(path: storePath)
        self.settings = settings
        sender = WebhookSender(client: client)
        self.logger = logger
    }

    /// Loops until the task is cancelled: first writes this config's departments with a
    /// webhook into the store (then counts as running), then passes over the outbox. Store
    /// errors are logged, shown by `/readyz`, and retried on the next pass.
    public func run() async {
        defer {
            state.set(running: false)
            metrics.up.record(0)
        }
        var targetsSet = false
        while !Task.isCancelled {
            var sent = 0
            do {
                if !targetsSet {
                    try store.setDispatchTargets(settings.webhooks.keys.sorted())
                    targetsSet = true
                    state.set(running: true)
                    metrics.up.record(1)
                }
                sent = try await pass()
                state.set(problem: nil)
            } catch {
                logger.error("dispatch worker: \(error)")
                state.set(problem: "\(error)")
            }
            if sent == 0 { try? await Task.sleep(for: .milliseconds(settings.pollMs)) }
        }
    }

    /// One look at the store: the rules if their scan is due, then one batch of due
    /// deliveries. Returns how many were sent.
    func pass() async throws(StoreError) -> Int {
        let now = Self.nowMs()
        if !settings.rules.isEmpty, now >= nextScanMs {
            try applyRules()
            nextScanMs = now + settings.scanEveryMs
        }
        let due = try store.claimDueDeliveries(nowMs: now, leaseMs: settings.retry.timeoutMs + 5000, limit: Self.batch)
        if !due.isEmpty {
            let results = await send(try bodies(for: due))
            try store.recordAttempts(results.map(outcome))
        }
        let backlog = try store.outboxBacklog()
        metrics.backlog.record(backlog.pending)
        metrics.failedRows.record(backlog.failed)
        return due.count
    }

    /// The tries of one batch, side by side.
    private nonisolated func send(_ jobs: [(OutboxDelivery, String)]) async -> [(OutboxDelivery, WebhookSender.Result)] {
        await withTaskGroup(of: (OutboxDelivery, WebhookSender.Result).self) { group in
            for (d, body) in jobs {
                group.addTask { [sender, settings] in
                    guard let hook = settings.webhooks[d.department] else {
                        return (d, .init(httpStatus: nil, error: "no webhook for department \(d.department) in the config",
                                         durationMs: 0))
                    }
                    return (d, await sender.send(body: body, to: hook, idempotencyKey: d.idempotencyKey,
                                                 timeoutMs: settings.retry.timeoutMs))
                }
            }
            var out: [(OutboxDelivery, WebhookSender.Result)] = []
            for await r in group { out.append(r) }
            return out
        }
    }

    /// The deliveries' bytes: each frozen at its first try, so every retry sends the same.
    private func bodies(for due: [OutboxDelivery]) throws(StoreError) -> [(OutboxDelivery, String)] {
        var fresh: [(id: Int64, body: String)] = []
        for d in due where d.body == nil { fresh.append((d.id, try body(for: d))) }
        let kept = fresh.isEmpty ? [:] : try store.freezeDeliveryBodies(fresh)
        return due.map { d in (d, d.body ?? kept[d.id] ?? "") }
    }

    /// The case as in `cases.json` with what the dispatch was (`dispatch`: department, key, when, who, note).
    private func body(for d: OutboxDelivery) throws(StoreError) -> String {
        guard let c = try store.loadCase(id: d.caseID) else { throw .caseNotFound(d.caseID) }
        let event = try store.caseEvent(id: d.eventID)
        let clock = store.clock
        var w = JSONWriter()
        c.writeJSON(into: &w, clock: clock) { w in
            w.key("dispatch")
            w.beginObject()
            w.field("department", d.department)
            w.field("idempotency_key", d.idempotencyKey)
            w.field("dispatched_at", clock.format(event?.at ?? d.createdUnix))
            w.field("actor", event?.actor)
            w.field("note", event?.note)
            w.endObject()
        }
        return w.text
    }

    /// What becomes of a delivery after a try: delivered, tried again after a backoff, or given up.
    private nonisolated func outcome(_ d: OutboxDelivery, _ r: WebhookSender.Result)
        -> (deliveryID: Int64, attempt: DeliveryAttempt, outcome: DeliveryOutcome) {
        let nowMs = Self.nowMs()
        let outcome: DeliveryOutcome
        if r.error == nil {
            outcome = .delivered
            metrics.delivered.increment()
            metrics.deliveryLatency.recordMilliseconds(max(0, nowMs - d.createdUnix * 1000))
        } else {
            let next = nowMs + settings.retry.delayMs(afterFailures: d.attempts + 1, unit: Double.random(in: 0..<1))
            if next > d.createdUnix * 1000 + settings.retry.giveUpAfterMs {
                outcome = .failed
                metrics.failed.increment()
                logger.warning("dispatch of case \(d.caseID) to \(d.department) failed for good after \(d.attempts + 1) tries: \(r.error ?? "")")
            } else {
                outcome = .retry(atMs: next)
                metrics.retried.increment()
            }
        }
        metrics.attemptTime.recordMilliseconds(r.durationMs)
        return (d.id, DeliveryAttempt(atUnix: nowMs / 1000, durationMs: r.durationMs, httpStatus: r.httpStatus, error: r.error),
                outcome)
    }

    /// Dispatches the open cases a rule picks, as `AutoDispatchRule.actor`, the note naming the rule.
    private func applyRules() throws(StoreError) {
        let types = Array(Set(settings.rules.map(\.type))).sorted { $0.rawValue < $1.rawValue }
        for candidate in try store.dispatchCandidates(types: types, limit: 500) {
            guard let rule = settings.rules.first(where: { $0.picks(candidate) }) else { continue }
            do throws(StoreError) {
                try store.setStatus(caseID: candidate.caseID, to: .dispatched, actor: AutoDispatchRule.actor,
                                    note: rule.summary)
                metrics.autoDispatched.increment()
            } catch {
                // Another worker or an officer moved it meanwhile: theirs.
                guard case .invalidTransition = error else { throw error }
            }
        }
    }

    static func nowMs() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }
}

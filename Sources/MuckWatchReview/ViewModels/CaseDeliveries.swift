import MuckWatchCore
import MuckWatchStore

/// One webhook delivery on the case page (partial `deliveries`): its department, state and
/// every try. The property names are the template's keys.
struct DeliveryItem: Sendable {
    struct Attempt: Sendable {
        var n: Int, at, answer, duration, error: String
    }

    var id: Int64, department, state, summary: String
    var attempts: [Attempt]

    init(_ d: OutboxDelivery, attempts tries: [DeliveryAttempt], clock: LocalClock) {
        id = d.id
        department = d.department
        state = d.state.rawValue
        var summary = "dispatched \(clock.format(d.createdUnix)) · \(d.attempts) tr\(d.attempts == 1 ? "y" : "ies")"
        switch d.state {
        case .delivered: summary += d.deliveredUnix.map { " · delivered \(clock.format($0))" } ?? ""
        case .pending: summary += " · next try \(clock.format(d.nextAttemptMs / 1000))"
        case .failed: summary += " · gave up"
        }
        self.summary = summary
        attempts = tries.enumerated().map { i, a in
            Attempt(n: i + 1, at: clock.format(a.atUnix), answer: a.httpStatus.map { "HTTP \($0)" } ?? "no answer",
                    duration: "\(a.durationMs) ms", error: a.error ?? "")
        }
    }

    /// The deliveries of case `id`, newest first, each with its tries.
    static func load(caseID id: String, from s: CaseStore) throws(StoreError) -> [DeliveryItem] {
        var out: [DeliveryItem] = []
        for d in try s.deliveries(caseID: id) {
            out.append(DeliveryItem(d, attempts: try s.attempts(deliveryID: d.id), clock: s.clock))
        }
        return out
    }
}

import MuckWatchCore
import MuckWatchStore

/// How `dispatch status` prints a delivery and its tries.
enum DeliveryLines {
    static func summary(_ d: OutboxDelivery, clock: LocalClock) -> String {
        var line = "\(d.caseID)  \(d.department)  \(d.state.rawValue)  tries \(d.attempts)  key \(d.idempotencyKey)"
            + "  dispatched \(clock.format(d.createdUnix))"
        switch d.state {
        case .delivered: line += "  delivered \(d.deliveredUnix.map(clock.format) ?? "-")"
        case .pending: line += "  next try \(clock.format(d.nextAttemptMs / 1000))"
        case .failed: break
        }
        if d.state != .delivered, let e = d.lastError { line += "  last error: \(e)" }
        return line
    }

    static func attempt(_ a: DeliveryAttempt, clock: LocalClock) -> String {
        "\(clock.format(a.atUnix))  \(a.httpStatus.map { "HTTP \($0)" } ?? "no answer")  \(a.durationMs) ms"
            + (a.error.map { "  \($0)" } ?? "")
    }
}

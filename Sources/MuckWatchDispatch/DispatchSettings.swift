public import MuckWatchCore

/// Where and how dispatched cases are delivered: the `dispatch_webhooks`, `dispatch_worker`
/// and `auto_dispatch` keys of a `--config` file (docs/dispatch.md).
public struct DispatchSettings: Sendable, Equatable {
    /// Department → its system's webhook.
    public var webhooks: [String: Webhook]
    public var retry: RetryPolicy
    /// Milliseconds between looks at the outbox when nothing was due.
    public var pollMs: Int64
    /// Milliseconds between auto-dispatch scans of the open cases.
    public var scanEveryMs: Int64
    public var rules: [AutoDispatchRule]

    public init(webhooks: [String: Webhook] = [:], retry: RetryPolicy = RetryPolicy(), pollMs: Int64 = 200,
                scanEveryMs: Int64 = 2000, rules: [AutoDispatchRule] = []) {
        self.webhooks = webhooks
        self.retry = retry
        self.pollMs = pollMs
        self.scanEveryMs = scanEveryMs
        self.rules = rules
    }

    /// Nothing to send and nothing to pick: the worker need not run.
    public var isEmpty: Bool { webhooks.isEmpty && rules.isEmpty }
}

/// A department system's endpoint and the secret its deliveries are signed with.
public struct Webhook: Sendable, Equatable {
    public var url: String
    public var secret: String

    public init(url: String, secret: String) {
        self.url = url
        self.secret = secret
    }
}

/// How often and how long a delivery is tried.
///
/// Exponential backoff with full jitter: after the n-th failed try the next waits a uniformly
/// random time in [0, min(maxDelay, firstDelay·2ⁿ⁻¹)], so receivers coming back from an outage
/// are not hit by every sender at once. A delivery still failing `giveUpAfterMs` after its
/// dispatch is marked failed.
public struct RetryPolicy: Sendable, Equatable {
    public var firstDelayMs: Int64
    public var maxDelayMs: Int64
    public var giveUpAfterMs: Int64
    /// One try's limit, connect to last byte of the answer.
    public var timeoutMs: Int64

    public init(firstDelayMs: Int64 = 1000, maxDelayMs: Int64 = 3_600_000, giveUpAfterMs: Int64 = 86_400_000,
                timeoutMs: Int64 = 10_000) {
        self.firstDelayMs = firstDelayMs
        self.maxDelayMs = maxDelayMs
        self.giveUpAfterMs = giveUpAfterMs
        self.timeoutMs = timeoutMs
    }

    /// The longest wait after the `failures`-th failed try (1-based): the jitter's upper bound.
    public func ceilingMs(afterFailures failures: Int) -> Int64 {
        let doublings = min(max(0, failures - 1), 40)
        let (grown, overflow) = firstDelayMs.multipliedReportingOverflow(by: Int64(1) << doublings)
        return overflow ? maxDelayMs : min(maxDelayMs, grown)
    }

    /// The wait after the `failures`-th failed try, `unit` a uniform draw from [0, 1).
    public func delayMs(afterFailures failures: Int, unit: Double) -> Int64 {
        Int64((Double(ceilingMs(afterFailures: failures)) * min(max(unit, 0), 1)).rounded(.down))
    }
}

/// Automatic dispatch (自动分派): an open case with a violation matching the rule is moved to
/// `dispatched` by the worker as `AutoDispatchRule.actor`, the audit note naming the rule.
public struct AutoDispatchRule: Sendable, Equatable {
    public static let actor = "auto-dispatch"

    public var name: String
    public var type: ViolationType
    /// Only violations found by this source (`camera`, `gps`, …); `nil`: any.
    public var source: ViolationSource?
    /// Only violations citing a camera event at least this confident; `nil`: no such condition.
    public var minConfidence: Double?
    /// Only cases routed to one of these departments; `nil`: any.
    public var departments: [String]?

    public init(name: String, type: ViolationType, source: ViolationSource? = nil, minConfidence: Double? = nil,
                departments: [String]? = nil) {
        self.name = name
        self.type = type
        self.source = source
        self.minConfidence = minConfidence
        self.departments = departments
    }

    /// What the audit row says: the rule's name and conditions.
    public var summary: String {
        var parts = [type.rawValue]
        if let source { parts.append("from \(source.rawValue)") }
        if let minConfidence { parts.append("confidence ≥ \(minConfidence)") }
        if let departments { parts.append("for \(departments.joined(separator: ", "))") }
        return "auto-dispatch rule '\(name)': " + parts.joined(separator: ", ")
    }
}

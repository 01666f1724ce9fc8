public import MuckWatchCore

/// One webhook delivery in the dispatch outbox: one dispatch of one case to one department.
public struct OutboxDelivery: Sendable, Equatable {
    public enum State: String, Sendable, CaseIterable {
        /// Not yet delivered; tried again at `nextAttemptMs`.
        case pending
        /// The department's system answered 2xx.
        case delivered
        /// Its retry window passed without a 2xx: an operator must look (`muckwatch dispatch status`).
        case failed
    }

    public var id: Int64
    public var caseID: String
    public var department: String
    /// The `case_events` row of the status change that dispatched the case.
    public var eventID: Int64
    /// Sent as `Idempotency-Key`: the same on every try of this delivery, different for
    /// another dispatch of the same case.
    public var idempotencyKey: String
    /// Unix seconds the dispatch was committed (the retry window counts from here).
    public var createdUnix: Int64
    public var state: State
    public var attempts: Int
    /// Unix milliseconds of the next try (pending rows).
    public var nextAttemptMs: Int64
    public var lastError: String?
    public var deliveredUnix: Int64?
    /// The bytes sent, once the first try froze them.
    public var body: String?
}

/// One try of a delivery, as `dispatch_attempts` logs it.
public struct DeliveryAttempt: Sendable, Equatable {
    public var atUnix: Int64
    public var durationMs: Int
    /// The receiver's status code; `nil` when no response came (refused, timed out).
    public var httpStatus: Int?
    /// What went wrong; `nil` for a delivered try.
    public var error: String?

    public init(atUnix: Int64, durationMs: Int, httpStatus: Int?, error: String?) {
        self.atUnix = atUnix
        self.durationMs = durationMs
        self.httpStatus = httpStatus
        self.error = error
    }
}

/// What became of a delivery after a try.
public enum DeliveryOutcome: Sendable, Equatable {
    case delivered
    /// Try again at this Unix millisecond.
    case retry(atMs: Int64)
    /// Give up: the retry window is over.
    case failed
}

/// An open case an auto-dispatch rule may pick: its violations with what rules look at.
public struct DispatchCandidate: Sendable, Equatable {
    public struct Finding: Sendable, Equatable {
        public var type: ViolationType
        public var source: ViolationSource
        /// The highest confidence among the camera events the violation cites; `nil` without any.
        public var cameraConfidence: Double?

        public init(type: ViolationType, source: ViolationSource, cameraConfidence: Double?) {
            self.type = type
            self.source = source
            self.cameraConfidence = cameraConfidence
        }
    }

    public var caseID: String
    public var departments: [String]
    public var findings: [Finding]

    public init(caseID: String, departments: [String], findings: [Finding]) {
        self.caseID = caseID
        self.departments = departments
        self.findings = findings
    }
}

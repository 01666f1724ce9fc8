public import MuckWatchCore

/// The dispatch outbox (issue #20): written with the status change, drained by the worker in
/// `serve` and `gateway` (MuckWatchDispatch). The store knows departments and rows, never HTTP.
extension CaseStore {
    /// Replaces the departments that have a webhook: the next dispatches write a delivery for
    /// each of these the case is routed to. Called by every process that runs the worker.
    public func setDispatchTargets(_ departments: [String]) throws(StoreError) {
        try db.transaction { () throws(StoreError) in
            try db.execute("DELETE FROM dispatch_targets", doing: "clearing the dispatch targets")
            let p = try db.prepare(db.dialect.insertOrIgnore(DepartmentColumns.self, into: "dispatch_targets"))
            for d in departments {
                try p.bind(1, d)
                try p.run()
            }
        }
    }

    /// The departments that have a webhook, sorted.
    public func dispatchTargets() throws(StoreError) -> [String] {
        let s = try db.prepare("SELECT department FROM dispatch_targets ORDER BY department")
        var out: [String] = []
        while try s.step() { out.append(s.text(0)) }
        return out
    }

    /// Writes one pending delivery per department of the case that has a webhook; runs inside
    /// `setStatus`'s transaction, so the deliveries exist exactly when the dispatch does.
    /// (Values selected are CAST: PostgreSQL takes an untyped parameter in a SELECT list for text.)
    func enqueueDispatch(caseID: String, event: Int64, at: Int64) throws(StoreError) {
        let p = try Parameters<OutboxColumns>(db, """
            INSERT INTO dispatch_outbox (case_id, department, event_id, idempotency_key, created_at, created_unix,
                state, attempts, next_attempt_ms)
            SELECT d.case_id, d.department, CAST(:event_id AS BIGINT),
                d.case_id || '/' || CAST(:event_id AS BIGINT) || '/' || d.ord,
                :created_at, CAST(:created_unix AS BIGINT), 'pending', 0, CAST(:next_attempt_ms AS BIGINT)
            FROM case_departments d JOIN dispatch_targets t ON t.department = d.department
            WHERE d.case_id = :case_id ORDER BY d.ord
            """)
        try p.bindEach { c in
            switch c {
            case .eventID: .int(event)
            case .createdAt: .text(clock.format(at))
            case .createdUnix: .int(at)
            case .nextAttemptMs: .int(at * 1000)
            case .caseID: .text(caseID)
            default: .null
            }
        }
        try p.run()
    }

    /// Pending deliveries due at `nowMs`, oldest due first, at most `limit`; each is leased
    /// (its next try moved to `nowMs + leaseMs`) in the same transaction, so a second worker on
    /// the same store does not send it too, and a worker killed mid-try leaves it due again
    /// once the lease ends.
    public func claimDueDeliveries(nowMs: Int64, leaseMs: Int64, limit: Int) throws(StoreError) -> [OutboxDelivery] {
        // A read first: an idle worker's look every few hundred ms takes no write lock.
        guard try db.scalarInt("SELECT count(*) FROM (SELECT 1 FROM dispatch_outbox WHERE state = 'pending' AND next_attempt_ms <= \(nowMs) LIMIT 1) AS due") == 1
        else { return [] }
        return try db.transaction { () throws(StoreError) -> [OutboxDelivery] in
            let due = try deliveries(where: "state = 'pending' AND next_attempt_ms <= \(nowMs) ORDER BY next_attempt_ms, id LIMIT \(max(0, limit))")
            let u = try db.prepare("UPDATE dispatch_outbox SET next_attempt_ms = ? WHERE id = ?")
            for d in due {
                try u.bind(1, nowMs + leaseMs)
                try u.bind(2, d.id)
                try u.run()
            }
            return due.map { var d = $0; d.nextAttemptMs = nowMs + leaseMs; return d }
        }
    }

    /// Keeps each body as its delivery's bytes unless a try already froze others (one
    /// transaction); returns the kept bytes by delivery id.
    public func freezeDeliveryBodies(_ bodies: [(id: Int64, body: String)]) throws(StoreError) -> [Int64: String] {
        try db.transaction { () throws(StoreError) -> [Int64: String] in
            let u = try db.prepare("UPDATE dispatch_outbox SET body = ? WHERE id = ? AND body IS NULL")
            let q = try db.prepare("SELECT body FROM dispatch_outbox WHERE id = ?")
            var kept: [Int64: String] = [:]
            for (id, body) in bodies {
                try u.bind(1, body)
                try u.bind(2, id)
                try u.run()
                try q.bind(1, id)
                guard try q.step(), let k = q.string(0) else { throw .corrupt(what: "dispatch delivery \(id) has no body") }
                q.reset()
                kept[id] = k
            }
            return kept
        }
    }

    /// Logs tries and moves their deliveries on, all in one transaction (a batch's answers).
    public func recordAttempts(_ tries: [(deliveryID: Int64, attempt: DeliveryAttempt, outcome: DeliveryOutcome)])
        throws(StoreError) {
        try db.transaction { () throws(StoreError) in
            let a = try Parameters<AttemptColumns>(db, AttemptColumns.insert(into: "dispatch_attempts", except: [.id]))
            let u = try Parameters<OutboxColumns>(db, """
                UPDATE dispatch_outbox SET attempts = attempts + 1, state = :state, last_error = :last_error,
                    next_attempt_ms = coalesce(:next_attempt_ms, next_attempt_ms),
                    delivered_at = :delivered_at, delivered_unix = :delivered_unix
                WHERE id = :id
                """)
            for (deliveryID, attempt, outcome) in tries {
                try a.bindEach { c in
                    switch c {
                    case .outboxID: .int(deliveryID)
                    case .at: .text(clock.format(attempt.atUnix))
                    case .atUnix: .int(attempt.atUnix)
                    case .durationMs: SQLValue(attempt.durationMs)
                    case .httpStatus: SQLValue(attempt.httpStatus.map(Int64.init))
                    case .error: SQLValue(attempt.error)
                    case .id: .null
                    }
                }
                try a.run()
                let delivered = outcome == .delivered
                try u.bindEach { c in
                    switch c {
                    case .state:
                        switch outcome {
                        case .delivered: .text(OutboxDelivery.State.delivered.rawValue)
                        case .retry: .text(OutboxDelivery.State.pending.rawValue)
                        case .failed: .text(OutboxDelivery.State.failed.rawValue)
                        }
                    case .lastError: SQLValue(attempt.error)
                    case .nextAttemptMs: if case let .retry(ms) = outcome { .int(ms) } else { .null }
                    case .deliveredAt: delivered ? .text(clock.format(attempt.atUnix)) : .null
                    case .deliveredUnix: delivered ? .int(attempt.atUnix) : .null
                    case .id: .int(deliveryID)
                    default: .null
                    }
                }
                try u.run()
            }
        }
    }

    /// Deliveries, newest first: one case's, or (`caseID` nil) every case's, at most `limit`.
    public func deliveries(caseID: String? = nil, state: OutboxDelivery.State? = nil, limit: Int = Int(Int32.max))
        throws(StoreError) -> [OutboxDelivery] {
        var conditions: [String] = []
        var values: [SQLValue] = []
        if let caseID {
            conditions.append("case_id = ?")
            values.append(.text(caseID))
        }
        if let state {
            conditions.append("state = ?")
            values.append(.text(state.rawValue))
        }
        let w = conditions.isEmpty ? "1" : conditions.joined(separator: " AND ")
        return try deliveries(where: "\(w) ORDER BY id DESC LIMIT \(max(0, limit))", values)
    }

    /// The tries of one delivery, oldest first.
    public func attempts(deliveryID: Int64) throws(StoreError) -> [DeliveryAttempt] {
        let r = try ResultColumns<AttemptColumns>(
            db, select: [.atUnix, .durationMs, .httpStatus, .error], from: "dispatch_attempts WHERE outbox_id = :outbox_id ORDER BY id")
        try r.bind(.outboxID, .int(deliveryID))
        var out: [DeliveryAttempt] = []
        while try r.step() {
            out.append(DeliveryAttempt(atUnix: r.int64(.atUnix), durationMs: Int(r.int64(.durationMs)),
                                       httpStatus: r.optionalInt64(.httpStatus).map(Int.init), error: r.string(.error)))
        }
        return out
    }

    /// How many deliveries are in each state; every state present, zeros included.
    public func outboxCounts() throws(StoreError) -> [OutboxDelivery.State: Int] {
        var counts: [OutboxDelivery.State: Int] = [:]
        for s in OutboxDelivery.State.allCases { counts[s] = 0 }
        let r = try ResultColumns<NameCountColumns>(
            try db.prepare("SELECT state AS name, count(*) AS count FROM dispatch_outbox GROUP BY state"))
        while try r.step() {
            guard let s = OutboxDelivery.State(rawValue: r.text(.name)) else {
                throw .corrupt(what: "dispatch delivery state \(r.text(.name))")
            }
            counts[s] = Int(r.int64(.count))
        }
        return counts
    }

    /// Pending and failed deliveries, counted from their partial indexes (cheap however many
    /// were delivered): the worker's backlog gauges.
    public func outboxBacklog() throws(StoreError) -> (pending: Int, failed: Int) {
        let pending = try db.scalarInt("SELECT count(*) FROM dispatch_outbox WHERE state = 'pending'") ?? 0
        let failed = try db.scalarInt("SELECT count(*) FROM dispatch_outbox WHERE state = 'failed'") ?? 0
        return (Int(pending), Int(failed))
    }

    /// The audit row with this id (the status change a delivery announces); `nil` when unknown.
    public func caseEvent(id: Int64) throws(StoreError) -> CaseEvent? {
        let r = try ResultColumns<CaseEventColumns>(
            db, select: [.caseID, .atUnix, .actor, .action, .fromStatus, .toStatus, .note], from: "case_events WHERE id = :id")
        try r.bind(.id, .int(id))
        guard try r.step() else { return nil }
        let caseID = r.text(.caseID)
        return CaseEvent(
            at: r.int64(.atUnix), actor: r.text(.actor), action: r.text(.action),
            fromStatus: try r.string(.fromStatus).map { x throws(StoreError) in try status(x, of: caseID) },
            toStatus: try r.string(.toStatus).map { x throws(StoreError) in try status(x, of: caseID) },
            note: r.string(.note))
    }

    /// Open, current cases with a violation of one of `types` that were never dispatched
    /// (a case an officer reopened is theirs, not a rule's), at most `limit`, with what
    /// auto-dispatch rules look at. Which of them a rule picks is the rule's business.
    public func dispatchCandidates(types: [ViolationType], limit: Int) throws(StoreError) -> [DispatchCandidate] {
        guard !types.isEmpty else { return [] }
        let list = types.map { "'\($0.rawValue)'" }.joined(separator: ",")
        let ids = try db.prepare("""
            SELECT c.case_id FROM cases c
            WHERE c.status = 'open' AND c.superseded = 0
              AND EXISTS (SELECT 1 FROM violations v WHERE v.case_id = c.case_id AND v.type IN (\(list)))
              AND NOT EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.case_id AND e.to_status = 'dispatched')
            LIMIT \(max(0, limit))
            """)
        var caseIDs: [String] = []
        while try ids.step() { caseIDs.append(ids.text(0)) }
        let v = try db.prepare("""
            SELECT v.type, v.source, (SELECT max(ce.confidence) FROM evidence e
                JOIN camera_events ce ON ce.event_id = e.value
                WHERE e.violation_id = v.id AND e.kind = 'camera_event')
            FROM violations v WHERE v.case_id = ? ORDER BY v.ord
            """)
        let d = try db.prepare("SELECT department FROM case_departments WHERE case_id = ? ORDER BY ord")
        var out: [DispatchCandidate] = []
        for id in caseIDs {
            var c = DispatchCandidate(caseID: id, departments: [], findings: [])
            try v.bind(1, id)
            while try v.step() {
                guard let type = ViolationType(rawValue: v.text(0)), let source = ViolationSource(rawValue: v.text(1)) else {
                    throw .corrupt(what: "violation of case \(id)")
                }
                c.findings.append(.init(type: type, source: source, cameraConfidence: v.optionalDouble(2)))
            }
            v.reset()
            try d.bind(1, id)
            while try d.step() { c.departments.append(d.text(0)) }
            d.reset()
            out.append(c)
        }
        return out
    }

    private func deliveries(where condition: String, _ values: [SQLValue] = []) throws(StoreError) -> [OutboxDelivery] {
        let columns: [OutboxColumns] = [.id, .caseID, .department, .eventID, .idempotencyKey, .createdUnix, .state,
                                        .attempts, .nextAttemptMs, .lastError, .deliveredUnix, .body]
        let r = try ResultColumns<OutboxColumns>(
            try prepare("SELECT \(OutboxColumns.list(columns)) FROM dispatch_outbox WHERE \(condition)", values), reading: columns)
        var out: [OutboxDelivery] = []
        while try r.step() {
            guard let state = OutboxDelivery.State(rawValue: r.text(.state)) else {
                throw .corrupt(what: "state \(r.text(.state)) of dispatch delivery \(r.int64(.id))")
            }
            out.append(OutboxDelivery(
                id: r.int64(.id), caseID: r.text(.caseID), department: r.text(.department), eventID: r.int64(.eventID),
                idempotencyKey: r.text(.idempotencyKey), createdUnix: r.int64(.createdUnix), state: state,
                attempts: Int(r.int64(.attempts)), nextAttemptMs: r.int64(.nextAttemptMs), lastError: r.string(.lastError),
                deliveredUnix: r.optionalInt64(.deliveredUnix), body: r.string(.body)))
        }
        return out
    }
}

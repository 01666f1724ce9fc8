public import MuckWatchCore
import MuckWatchJudge

/// `case_handlings`: an officer's 处置结果 (issue #26).
enum HandlingColumns: String, ColumnSet {
    case id, caseID = "case_id", at, atUnix = "at_unix", actor, outcome
    case penaltyYuan = "penalty_yuan", documentNumber = "document_number", transferredTo = "transferred_to", note
}

/// A handling as the store keeps it: what was done, by whom, when.
public struct StoredHandling: Sendable, Equatable {
    public var at: Int64
    public var actor: String
    public var handling: Handling
}

extension CaseStore {
    /// Records what an officer did on site and moves the case from dispatched to resolved
    /// (= handled), with its audit row, in one transaction.
    /// Throws `.refused` when `HandlingRules` refuse the record, `.invalidTransition` when the
    /// case is not dispatched, `.caseNotFound`.
    public func recordHandling(caseID: String, _ handling: Handling, actor: String) throws(StoreError) {
        if let problem = HandlingRules.problem(handling) { throw .refused(caseID: caseID, reason: problem) }
        let at = now(), clock = self.clock
        try db.transaction { () throws(StoreError) in
            let current = try currentStatus(caseID)
            guard current == .dispatched else {
                throw .invalidTransition(caseID: caseID, from: current, to: .resolved)
            }
            let p = try Parameters<HandlingColumns>(db, HandlingColumns.insert(into: "case_handlings", except: [.id]))
            try p.bindEach { c in
                switch c {
                case .caseID: .text(caseID)
                case .at: .text(clock.format(at))
                case .atUnix: .int(at)
                case .actor: .text(actor)
                case .outcome: .text(handling.outcome.rawValue)
                case .penaltyYuan: SQLValue(handling.penaltyYuan)
                case .documentNumber: SQLValue(handling.documentNumber)
                case .transferredTo: SQLValue(handling.transferredTo)
                case .note: SQLValue(handling.note)
                case .id: .null
                }
            }
            try p.run()
            try changeStatus(caseID, at: at, actor: actor, action: "handled", from: .dispatched, to: .resolved,
                             note: Self.summary(handling))
        }
    }

    /// The audit note of a handling: the outcome and its particulars, one line.
    static func summary(_ h: Handling) -> String {
        var parts = [h.outcome.rawValue]
        if let y = h.penaltyYuan { parts.append("\(y) yuan") }
        if let d = h.documentNumber { parts.append("document \(d)") }
        if let t = h.transferredTo { parts.append("to \(t)") }
        if let n = h.note { parts.append(n) }
        return parts.joined(separator: " · ")
    }

    /// A case's handlings, oldest first.
    public func handlings(caseID: String) throws(StoreError) -> [StoredHandling] {
        let r = try ResultColumns<HandlingColumns>(
            db, select: [.atUnix, .actor, .outcome, .penaltyYuan, .documentNumber, .transferredTo, .note],
            from: "case_handlings WHERE case_id = :case_id ORDER BY id")
        try r.bind(.caseID, .text(caseID))
        var out: [StoredHandling] = []
        while try r.step() {
            guard let outcome = HandlingOutcome(rawValue: r.text(.outcome)) else {
                throw .corrupt(what: "handling outcome \(r.text(.outcome)) of case \(caseID)")
            }
            out.append(StoredHandling(
                at: r.int64(.atUnix), actor: r.text(.actor),
                handling: Handling(outcome: outcome, penaltyYuan: r.optionalDouble(.penaltyYuan),
                                   documentNumber: r.string(.documentNumber), transferredTo: r.string(.transferredTo),
                                   note: r.string(.note))))
        }
        return out
    }

    /// The case's status, read inside the caller's transaction.
    func currentStatus(_ caseID: String) throws(StoreError) -> Case.Status {
        let q = try ResultColumns<CaseColumns>(db, "SELECT status FROM cases WHERE case_id = :case_id", reading: [.status])
        try q.bind(.caseID, .text(caseID))
        guard try q.step() else { throw .caseNotFound(caseID) }
        return try status(q.text(.status), of: caseID)
    }

    /// A status change inside the caller's transaction: the case row, its audit row and, when the
    /// case enters `dispatched` (an officer, the API, auto-dispatch, or a supervisor sending it back),
    /// its webhook deliveries, so that no path into `dispatched` can skip the outbox (issue #20).
    func changeStatus(_ caseID: String, at: Int64, actor: String, action: String, from: Case.Status,
                      to newStatus: Case.Status, note: String?) throws(StoreError) {
        try updateStatus(caseID, to: newStatus)
        try appendEvent(caseID, at: at, actor: actor, action: action, from: from, to: newStatus, note: note)
        if newStatus == .dispatched {
            try enqueueDispatch(caseID: caseID, event: try db.lastInsertRowID, at: at)
        }
    }

    func updateStatus(_ caseID: String, to newStatus: Case.Status) throws(StoreError) {
        let u = try Parameters<CaseColumns>(db, "UPDATE cases SET status = :status WHERE case_id = :case_id")
        try u.bind(.status, .text(newStatus.rawValue))
        try u.bind(.caseID, .text(caseID))
        try u.run()
    }

    /// Appends one row to the audit trail (outside any run).
    func appendEvent(_ caseID: String, at: Int64, actor: String, action: String, from: Case.Status?,
                     to: Case.Status?, note: String?) throws(StoreError) {
        let clock = self.clock
        let e = try Parameters<CaseEventColumns>(db, CaseEventColumns.insert(into: "case_events", except: [.id, .runID]))
        try e.bindEach { column in
            switch column {
            case .caseID: .text(caseID)
            case .at: .text(clock.format(at))
            case .atUnix: .int(at)
            case .actor: .text(actor)
            case .action: .text(action)
            case .fromStatus: SQLValue(from?.rawValue)
            case .toStatus: SQLValue(to?.rawValue)
            case .note: SQLValue(note)
            case .id, .runID: .null  // assigned by SQLite; no run
            }
        }
        try e.run()
    }
}

public import MuckWatchCore
import MuckWatchJudge

/// `case_evaluations`: a supervisor's verdict on a handled case (issue #26).
enum EvaluationColumns: String, ColumnSet {
    case id, caseID = "case_id", at, atUnix = "at_unix", actor, verdict, onTime = "on_time", reason
}

/// An evaluation as the store keeps it.
public struct StoredEvaluation: Sendable, Equatable {
    public var at: Int64
    public var actor: String
    public var verdict: EvaluationVerdict
    /// Whether the case was dispatched and handled within its deadlines, judged when evaluated.
    public var onTime: Bool?
    public var reason: String?
}

extension CaseStore {
    /// Evaluates a handled (resolved) case: `proper` closes it, `sentBack` returns it to
    /// dispatched and needs a reason; the row and the audit row in one transaction.
    /// - Parameter onTime: the caller's judgement of the timestamps against the deadlines
    ///   (`CaseClock.onTime`), kept as it was when the supervisor evaluated.
    public func evaluate(caseID: String, verdict: EvaluationVerdict, onTime: Bool?, reason: String?, actor: String)
        throws(StoreError) {
        let reason = reason.flatMap { $0.allSatisfy(\.isWhitespace) ? nil : $0 }
        let target: Case.Status = verdict == .proper ? .closed : .dispatched
        if verdict == .sentBack, reason == nil { throw .noteRequired(caseID: caseID, to: target) }
        let at = now(), clock = self.clock
        try db.transaction { () throws(StoreError) in
            let current = try currentStatus(caseID)
            guard current == .resolved else { throw .invalidTransition(caseID: caseID, from: current, to: target) }
            let p = try Parameters<EvaluationColumns>(db, EvaluationColumns.insert(into: "case_evaluations", except: [.id]))
            try p.bindEach { c in
                switch c {
                case .caseID: .text(caseID)
                case .at: .text(clock.format(at))
                case .atUnix: .int(at)
                case .actor: .text(actor)
                case .verdict: .text(verdict.rawValue)
                case .onTime: SQLValue(onTime.map { Int64($0 ? 1 : 0) })
                case .reason: SQLValue(reason)
                case .id: .null
                }
            }
            try p.run()
            let late = onTime.map { $0 ? "on time" : "late" } ?? "timing unknown"
            try changeStatus(caseID, at: at, actor: actor, action: "evaluated", from: current, to: target,
                             note: ([verdict.rawValue, late] + [reason].compactMap { $0 }).joined(separator: " · "))
        }
    }

    /// A case's evaluations, oldest first.
    public func evaluations(caseID: String) throws(StoreError) -> [StoredEvaluation] {
        let r = try ResultColumns<EvaluationColumns>(
            db, select: [.atUnix, .actor, .verdict, .onTime, .reason],
            from: "case_evaluations WHERE case_id = :case_id ORDER BY id")
        try r.bind(.caseID, .text(caseID))
        var out: [StoredEvaluation] = []
        while try r.step() {
            guard let verdict = EvaluationVerdict(rawValue: r.text(.verdict)) else {
                throw .corrupt(what: "evaluation verdict \(r.text(.verdict)) of case \(caseID)")
            }
            out.append(StoredEvaluation(at: r.int64(.atUnix), actor: r.text(.actor), verdict: verdict,
                                        onTime: r.optionalInt64(.onTime).map { $0 != 0 }, reason: r.string(.reason)))
        }
        return out
    }
}

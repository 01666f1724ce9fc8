/// What an officer did at the roadside with a dispatched case (处置结果, issue #26).
public enum HandlingOutcome: String, Sendable, CaseIterable {
    /// 罚款: a penalty decision, with its amount and document number.
    case penaltyIssued = "penalty_issued"
    /// 警告
    case warning
    /// 责令清理: the company was ordered to clean the dump up.
    case cleanupOrdered = "cleanup_ordered"
    /// 现场未发现: nothing found where the case points.
    case notFound = "not_found"
    /// 移交: handed to another department, named.
    case transferred
}

/// One handling record as an officer entered it.
public struct Handling: Sendable, Equatable {
    public var outcome: HandlingOutcome
    /// Yuan, for a penalty.
    public var penaltyYuan: Double?
    /// The penalty decision's number (处罚决定书编号).
    public var documentNumber: String?
    /// The department a transferred case went to.
    public var transferredTo: String?
    public var note: String?

    public init(outcome: HandlingOutcome, penaltyYuan: Double? = nil, documentNumber: String? = nil,
                transferredTo: String? = nil, note: String? = nil) {
        self.outcome = outcome
        self.penaltyYuan = penaltyYuan
        self.documentNumber = documentNumber
        self.transferredTo = transferredTo
        self.note = note
    }
}

/// A supervisor's verdict on a handled case: closed as handled properly, or sent back (to
/// dispatched) with a reason.
public enum EvaluationVerdict: String, Sendable, CaseIterable {
    case proper
    case sentBack = "sent_back"
}

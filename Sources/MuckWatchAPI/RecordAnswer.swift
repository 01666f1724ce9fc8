/// What became of one record of an ingestion request.
struct RecordAnswer: Sendable, Equatable {
    enum Outcome: String, Sendable {
        /// Written: new, or a changed version of a stored id (which it replaces).
        case accepted
        /// The store already holds the same record, or the request repeats an earlier record's id.
        case duplicate
        /// Not written, for `reason`.
        case rejected
    }

    /// 1-based position among the request's records.
    var record: Int
    var id: String?
    var outcome: Outcome
    var reason: String?
}

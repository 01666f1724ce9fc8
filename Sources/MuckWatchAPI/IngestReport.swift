extension Components.Schemas.IngestReport {
    /// The document's answer to an ingestion request: counts, then one entry per record.
    init(_ answers: [RecordAnswer]) {
        self.init(accepted: answers.count { $0.outcome == .accepted }, duplicate: answers.count { $0.outcome == .duplicate },
                  rejected: answers.count { $0.outcome == .rejected },
                  records: answers.map { a in
                      Components.Schemas.RecordResult(record: a.record, id: a.id,
                                                      result: .init(rawValue: a.outcome.rawValue)!, reason: a.reason)
                  })
    }
}

public import MuckWatchCore

/// What a handling record must carry before the store takes it: the rules, not the form.
public enum HandlingRules {
    /// Why `h` cannot be recorded, or `nil` when it can.
    public static func problem(_ h: Handling) -> String? {
        switch h.outcome {
        case .penaltyIssued:
            guard let yuan = h.penaltyYuan, yuan > 0, yuan.isFinite else {
                return "A penalty needs its amount in yuan (a number above 0)."
            }
            guard let doc = h.documentNumber, !doc.isEmpty else {
                return "A penalty needs the number of its decision document (处罚决定书编号)."
            }
            return nil
        case .transferred:
            guard let to = h.transferredTo, !to.isEmpty else { return "A transfer needs the department it went to." }
            return nil
        case .notFound:
            guard let note = h.note, !note.isEmpty else { return "Say what was found on site (note required)." }
            return nil
        case .warning, .cleanupOrdered:
            return nil
        }
    }
}

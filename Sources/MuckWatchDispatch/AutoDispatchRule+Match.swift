public import MuckWatchStore

extension AutoDispatchRule {
    /// Whether this rule dispatches the case: one of its violations has the rule's type, and
    /// source and camera confidence where the rule asks, and the case goes to one of the
    /// rule's departments where it names them.
    public func picks(_ c: DispatchCandidate) -> Bool {
        if let departments, !c.departments.contains(where: departments.contains) { return false }
        return c.findings.contains { f in
            f.type == type && (source == nil || f.source == source)
                && (minConfidence.map { min in (f.cameraConfidence ?? -1) >= min } ?? true)
        }
    }
}

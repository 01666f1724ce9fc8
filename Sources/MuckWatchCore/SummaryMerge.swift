extension Summary {
    /// The whole night's counts from those of its N partitions (`--partition K/N`, in
    /// order K = 0…N−1): every count and tonnage added up. Each partition counts only its
    /// own vehicles, rows and manifests (and partition 0 the rows with no usable plate and
    /// the other inputs' rejects), so the sums are the unpartitioned run's. Warnings are
    /// listed once each, sorted as a run sorts them; those naming plates (`PlateListWarning`)
    /// are each partition's share, joined back into the whole night's line.
    public static func merged(_ parts: [Summary]) -> Summary {
        var s = Summary()
        var named: [PlateListWarning] = []
        for p in parts {
            s.fixesRead += p.fixesRead
            s.fixesAccepted += p.fixesAccepted
            s.fixesRejected += p.fixesRejected
            s.fixesDuplicate += p.fixesDuplicate
            s.fixesOutlier += p.fixesOutlier
            s.vehicles += p.vehicles
            s.trips += p.trips
            s.cases += p.cases
            s.otherRejected += p.otherRejected
            s.violationsByType.merge(p.violationsByType, uniquingKeysWith: +)
            s.tonnesBySourceSite.merge(p.tonnesBySourceSite, uniquingKeysWith: +)
            s.tonnesByDisposalSite.merge(p.tonnesByDisposalSite, uniquingKeysWith: +)
            for w in p.warnings {
                if let share = PlateListWarning(parsing: w) {
                    if let k = named.firstIndex(where: { $0.kind == share.kind }) {
                        named[k] = named[k].adding(share)
                    } else {
                        named.append(share)
                    }
                } else if !s.warnings.contains(w) {
                    s.warnings.append(w)
                }
            }
            if let c = p.chain { s.chain = (s.chain ?? ChainSummary()).adding(c) }
        }
        s.warnings = (s.warnings + named.map(\.text)).sorted()
        return s
    }
}

extension ChainSummary {
    func adding(_ c: ChainSummary) -> ChainSummary {
        var s = self
        s.manifestsOpened += c.manifestsOpened
        s.manifestsClosed += c.manifestsClosed
        s.tripsWithoutManifest += c.tripsWithoutManifest
        s.tonnesByFacility.merge(c.tonnesByFacility, uniquingKeysWith: +)
        s.tonnesByWasteType.merge(c.tonnesByWasteType, uniquingKeysWith: +)
        return s
    }
}

public import MuckWatchCore

/// What the store keeps as evidence beside the cases. Batch and live select it the same
/// way, so a case page shows the same reads whichever path found the case.
public enum CaseEvidence {
    /// Seconds of context kept around a case's violations and trip.
    static let contextS: Int64 = 300

    /// The camera reads an officer sees with the cases: each case's evidence and the other
    /// reads of its plate around it (context). A city night has hundreds of thousands of
    /// plain passes; the store keeps only these.
    public static func cameraEvents(_ cases: [Case], _ cameras: CameraReads) -> [CameraEvent] {
        var out: [CameraEvent] = []
        var seen = Set<String>()
        for c in cases {
            guard let p = cameras.plateIndex(c.vehicleID) else { continue }
            var windows = c.violations.map { ($0.start - contextS)...($0.end + contextS) }
            if let t = c.trip {
                windows.append((t.loadStart - contextS)...((t.dumpEnd ?? t.dumpedAt ?? t.loadedAt) + contextS))
            }
            let evidence = Set(c.violations.flatMap(\.evidence.cameraEvents))
            // Chosen on the records; only the reads kept become events.
            for i in cameras.range(plateAt: p) {
                let r = cameras.records[i]
                guard windows.contains(where: { $0.contains(r.time) })
                        || (!evidence.isEmpty && evidence.contains(cameras.id(r))) else { continue }
                let e = cameras.event(at: i, plateAt: p)
                if seen.insert(e.id).inserted { out.append(e) }
            }
        }
        return out.sorted { ($0.time, $0.id) < ($1.time, $1.id) }
    }
}

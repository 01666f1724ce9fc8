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
            let windows = windows(c)
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

    /// The gate passes an officer sees with the cases, chosen as the camera reads are: each
    /// case's evidence and its vehicle's other passes around it. A city night has a hundred
    /// thousand routine passes; keeping them all doubled the store.
    public static func gateEvents(_ cases: [Case], _ chain: ChainRecords) -> [(vehicle: String, event: GateEvent)] {
        var out: [(vehicle: String, event: GateEvent)] = []
        var seen = Set<String>()
        for c in cases {
            let passes = chain.gateEvents(plate: c.vehicleID)
            let cited = Set(c.violations.flatMap(\.evidence.gateEvents))
            guard !passes.isEmpty || !cited.isEmpty else { continue }
            let windows = windows(c)
            // By index: only the passes kept are copied.
            for i in passes.indices where windows.contains(where: { $0.contains(passes[i].time) }) || cited.contains(passes[i].id) {
                if seen.insert(passes[i].id).inserted { out.append((c.vehicleID, passes[i])) }
            }
            // A pass read under another plate (a cloned plate's tag) still belongs with the case citing it.
            for id in cited where !seen.contains(id) {
                if let (owner, e) = chain.gateEvent(id: id) {
                    seen.insert(id)
                    out.append((owner, e))
                }
            }
        }
        return out.sorted { ($0.event.time, $0.event.id) < ($1.event.time, $1.event.id) }
    }

    /// The times around a case's violations and trip that its context is drawn from.
    static func windows(_ c: Case) -> [ClosedRange<Int64>] {
        var windows = c.violations.map { ($0.start - contextS)...($0.end + contextS) }
        if let t = c.trip {
            windows.append((t.loadStart - contextS)...((t.dumpEnd ?? t.dumpedAt ?? t.loadedAt) + contextS))
        }
        return windows
    }
}

public import MuckWatchCore

/// Manifests and gate passes (contract section 12) as the store keeps them: every manifest
/// with its judged state, trip and case (the review app's manifests view and statistics),
/// every gate pass with the vehicle it belongs to (case pages, maps). A rerun replaces a
/// manifest's or pass's row by id.
enum ChainData {
    static func write(_ run: RunResult, runID: Int64, db: Database) throws(StoreError) {
        let clock = run.clock
        if !run.manifests.isEmpty {
            let p = try Parameters<ManifestColumns>(db, db.dialect.insertOrReplace(ManifestColumns.self, into: "manifests", key: [.id]))
            try db.pipelined { () throws(StoreError) in
                for entry in run.manifests {
                    try p.bindEach { manifestValue($0, entry, runID: .int(runID), clock: clock) }
                    try p.run()
                }
            }
        }
        if !run.gateEvents.isEmpty {
            let p = try Parameters<GateEventColumns>(db, db.dialect.insertOrReplace(GateEventColumns.self, into: "gate_events",
                                                                                   key: [.id]))
            try db.pipelined { () throws(StoreError) in
                for (vehicle, e) in run.gateEvents {
                    try p.bindEach { gateEventValue($0, e, vehicle: vehicle, runID: .int(runID), clock: clock) }
                    try p.run()
                }
            }
        }
    }

    /// One column of a manifest's row (a run's, or an import's with no run).
    static func manifestValue(_ column: ManifestColumns, _ entry: ManifestEntry, runID: SQLValue,
                              clock: LocalClock) -> SQLValue {
        let m = entry.manifest
        return switch column {
        case .id: .text(m.id)
        case .permitID: SQLValue(m.permitID)
        case .vehicleID: .text(m.vehicleID)
        case .driverID: SQLValue(m.driverID)
        case .sourceSite: .text(m.sourceSite)
        case .disposalSite: .text(m.disposalSite)
        case .wasteType: .text(m.wasteType.rawValue)
        case .declaredT: .double(m.declaredT)
        case .openedAt: .text(clock.format(m.openedAt))
        case .openedUnix: .int(m.openedAt)
        case .openedDay: .int(clock.date(of: m.openedAt).days)
        case .closedAt: SQLValue(m.closedAt.map { clock.format($0) })
        case .closedUnix: SQLValue(m.closedAt)
        case .closedSite: SQLValue(m.closedSite)
        case .receivedT: SQLValue(m.receivedT)
        case .state: .text(entry.state.rawValue)
        case .tripLoadedUnix: SQLValue(entry.tripLoadedAt)
        case .caseID: SQLValue(entry.caseID)
        case .runID: runID
        }
    }

    /// One column of a gate pass's row, owned by `vehicle`.
    static func gateEventValue(_ column: GateEventColumns, _ e: GateEvent, vehicle: String, runID: SQLValue,
                               clock: LocalClock) -> SQLValue {
        switch column {
        case .id: .text(e.id)
        case .site: .text(e.site)
        case .at: .text(clock.format(e.time))
        case .atUnix: .int(e.time)
        case .direction: .text(e.direction.rawValue)
        case .vehicleID: .text(vehicle)
        case .plate: SQLValue(e.plate)
        case .rfid: SQLValue(e.rfid)
        case .grossT: SQLValue(e.grossT)
        case .tareT: SQLValue(e.tareT)
        case .manifestID: SQLValue(e.manifestID)
        case .image: SQLValue(e.image)
        case .runID: runID
        }
    }
}

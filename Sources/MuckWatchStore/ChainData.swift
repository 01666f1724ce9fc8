public import MuckWatchCore

/// Manifests and gate passes (contract section 12) as the store keeps them: every manifest
/// with its judged state, trip and case (the review app's manifests view and statistics),
/// every gate pass with the vehicle it belongs to (case pages, maps). A rerun replaces a
/// manifest's or pass's row by id.
enum ChainData {
    /// Some manifests and gate passes: the whole run's (`RunWrite.complete`), or one
    /// vehicle's as it is finished (`RunWrite.writeVehicle`). A pass written twice (kept
    /// with two vehicles' cases) is the same row both times: its owner, not the case's
    /// vehicle, is its `vehicle_id`.
    static func write(manifests: [ManifestEntry], gatePasses: [(vehicle: String, event: GateEvent)],
                      with st: ChainStatements, runID: Int64, clock: LocalClock, db: Database) throws(StoreError) {
        guard !manifests.isEmpty || !gatePasses.isEmpty else { return }
        try db.pipelined { () throws(StoreError) in
            for entry in manifests {
                try st.manifest.run { manifestValue($0, entry, runID: .int(runID), clock: clock) }
            }
            for (vehicle, e) in gatePasses {
                try st.gatePass.run { gateEventValue($0, e, vehicle: vehicle, runID: .int(runID), clock: clock) }
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

/// The two statements a run's manifests and gate passes are written with, prepared once
/// per run (a city night writes them vehicle by vehicle, ~8,000 times).
final class ChainStatements {
    let manifest: ReplacingInsert<Parameters<ManifestColumns>>
    let gatePass: ReplacingInsert<Parameters<GateEventColumns>>

    init(db: Database) throws(StoreError) {
        manifest = try ReplacingInsert(db, into: "manifests", key: [.id])
        gatePass = try ReplacingInsert(db, into: "gate_events", key: [.id])
    }
}

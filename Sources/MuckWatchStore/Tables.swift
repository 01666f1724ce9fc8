/// Every table's columns by name (the schema itself is `Schema.migrations`): statements
/// name their columns and parameters through these, never by position.

/// `runs`: one row per batch run or live session.
enum RunColumns: String, ColumnSet {
    case id
    case startedAt = "started_at", startedUnix = "started_unix"
    case finishedAt = "finished_at", finishedUnix = "finished_unix"
    case utcOffsetSeconds = "utc_offset_s"
    case trips, cases
}

/// `run_metadata`: a run's `RunRecord`, one key and text value a row (`RunMetadataKey`).
enum RunMetadataColumns: String, ColumnSet {
    case runID = "run_id", key, value
}

/// `migrations`: the schema versions applied.
enum MigrationColumns: String, ColumnSet {
    case version, appliedAt = "applied_at", appliedUnix = "applied_unix"
}

/// `cases`: a case's own columns; its trip's are `TripColumns` (`caseColumn`).
enum CaseColumns: String, ColumnSet {
    case caseID = "case_id", vehicleID = "vehicle_id", company, status, departments
    case caseDate = "case_date", caseDay = "case_day"
    case createdRun = "created_run", updatedRun = "updated_run", superseded
}

/// A trip's fields, stored in `trips` under these names and in `cases` under `caseColumn`.
/// One function binds them for both tables (`CaseWriter.tripValue`).
enum TripColumns: String, ColumnSet {
    case key = "trip_key", sourceSite = "source_site"
    case loadedAt = "loaded_at", loadedUnix = "loaded_unix"
    case disposalSite = "disposal_site", dumpLon = "dump_lon", dumpLat = "dump_lat"
    case dumpedAt = "dumped_at", dumpedUnix = "dumped_unix"
    case distanceKm = "distance_km", loadT = "load_t", permitID = "permit_id"

    /// The column in `cases` (`trip_` and the name in `trips`).
    var caseColumn: String { self == .key ? rawValue : "trip_" + rawValue }
}

/// `trips`: the columns besides the trip's fields (`TripColumns`).
enum TripRowColumns: String, ColumnSet {
    case runID = "run_id", vehicleID = "vehicle_id", caseID = "case_id"
    /// Contract section 12: the matched manifest and the tonnes received.
    case manifestID = "manifest_id", receivedT = "received_t"
}

/// `violations`.
enum ViolationColumns: String, ColumnSet {
    case id, caseID = "case_id", ord, vehicleID = "vehicle_id", type
    case startAt = "start_at", startUnix = "start_unix", endAt = "end_at", endUnix = "end_unix"
    case lon, lat, source, detail
}

/// `evidence`: one row per fix range, sensor reading, camera event or image of a violation.
enum EvidenceColumns: String, ColumnSet {
    case id, violationID = "violation_id", ord, kind, value, t0, t1
}

/// `case_departments`: where a case is routed, in order.
enum CaseDepartmentColumns: String, ColumnSet {
    case caseID = "case_id", department, ord
}

/// `departments`: every department a case was ever routed to.
enum DepartmentColumns: String, ColumnSet {
    case department
}

/// `case_events`: the append-only audit trail.
enum CaseEventColumns: String, ColumnSet {
    case id, caseID = "case_id", at, atUnix = "at_unix", actor, action
    case fromStatus = "from_status", toStatus = "to_status", note, runID = "run_id"
}

/// `case_tracks`: a case's thinned track as bytes (`TrackCodec`).
enum CaseTrackColumns: String, ColumnSet {
    case caseID = "case_id", points
}

/// PostgreSQL's `case_tracks.track_geom`, set from WKT (`SQLDialect.trackGeometryUpdate`).
enum TrackGeometryColumns: String, ColumnSet {
    case caseID = "case_id", trackWKT = "track_wkt"
}

/// `fences`.
enum FenceColumns: String, ColumnSet {
    case id = "fence_id", kind, name, geometry, corridorM = "corridor_m", radiusM = "radius_m", runID = "run_id"
    case facility
}

/// `camera_events`.
enum CameraEventColumns: String, ColumnSet {
    case id = "event_id", checkpointID = "checkpoint_id", at, atUnix = "at_unix", plate, type, confidence, image
    case runID = "run_id"
}

/// `permits`.
enum PermitColumns: String, ColumnSet {
    case id = "permit_id", vehicles, sourceSite = "source_site", disposalSite = "disposal_site", route
    case validFrom = "valid_from", validTo = "valid_to", hours, runID = "run_id"
}

/// `vehicles`: the registry.
enum VehicleColumns: String, ColumnSet {
    case id = "vehicle_id", company, ratedLoadT = "rated_load_t", terminalID = "terminal_id", runID = "run_id"
    case rfid
}

/// `manifests`: every manifest a run read, with its judged state.
enum ManifestColumns: String, ColumnSet {
    case id = "manifest_id", permitID = "permit_id", vehicleID = "vehicle_id", driverID = "driver_id"
    case sourceSite = "source_site", disposalSite = "disposal_site", wasteType = "waste_type", declaredT = "declared_t"
    case openedAt = "opened_at", openedUnix = "opened_unix", openedDay = "opened_day"
    case closedAt = "closed_at", closedUnix = "closed_unix", closedSite = "closed_site", receivedT = "received_t"
    case state, tripLoadedUnix = "trip_loaded_unix", caseID = "case_id", runID = "run_id"
}

/// `gate_events`: every gate pass that belongs to a vehicle.
enum GateEventColumns: String, ColumnSet {
    case id = "event_id", site, at, atUnix = "at_unix", direction, vehicleID = "vehicle_id", plate, rfid
    case grossT = "gross_t", tareT = "tare_t", manifestID = "manifest_id", image, runID = "run_id"
}

/// `users`: the review app's accounts.
enum UserColumns: String, ColumnSet {
    case name, passwordHash = "password_hash", role, createdAt = "created_at", createdUnix = "created_unix"
}

/// `user_departments`.
enum UserDepartmentColumns: String, ColumnSet {
    case userName = "user_name", department
}

/// `sessions`: logged-in browsers.
enum SessionColumns: String, ColumnSet {
    case token, userName = "user_name", csrf, createdUnix = "created_unix", expiresUnix = "expires_unix"
}

/// `login_failures`.
enum LoginFailureColumns: String, ColumnSet {
    case id, userName = "user_name", atUnix = "at_unix"
}

/// `gateway_keys`: the live gateway's keys.
enum GatewayKeyColumns: String, ColumnSet {
    case name, key, createdUnix = "created_unix"
}

extension ColumnSet {
    /// `INSERT INTO table(a, b) VALUES (:a, :b)` over every column but `except` (those
    /// SQLite assigns or defaults), optionally with an `OR …` conflict clause or a tail.
    static func insert(_ verb: String = "INSERT", into table: String, except: [Self] = [], then tail: String = "")
        -> String {
        let columns = allCases.filter { !except.contains($0) }
        return verb + " INTO " + table + "(" + columns.map(\.rawValue).joined(separator: ", ") + ") VALUES ("
            + columns.map { ":" + $0.rawValue }.joined(separator: ", ") + ")" + (tail.isEmpty ? "" : "\n" + tail)
    }
}

/// `dispatch_outbox`: one webhook delivery of one dispatch to one department (issue #20).
enum OutboxColumns: String, ColumnSet {
    case id, caseID = "case_id", department, eventID = "event_id", idempotencyKey = "idempotency_key"
    case createdAt = "created_at", createdUnix = "created_unix", state, attempts
    case nextAttemptMs = "next_attempt_ms", lastError = "last_error"
    case deliveredAt = "delivered_at", deliveredUnix = "delivered_unix", body
}

/// `dispatch_attempts`: every try of a delivery.
enum AttemptColumns: String, ColumnSet {
    case id, outboxID = "outbox_id", at, atUnix = "at_unix", durationMs = "duration_ms", httpStatus = "http_status"
    case error
}

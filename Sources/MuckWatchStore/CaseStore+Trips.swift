public import MuckWatchCore

/// Which trips an integration wants; `nil` fields do not restrict.
public struct TripFilter: Sendable, Equatable {
    public var vehicle: String?
    /// Inclusive local dates of the loading.
    public var dateFrom: LocalDate?
    public var dateTo: LocalDate?
    /// Only trips whose case is routed to one of these (a department-scoped token); `nil` = all trips.
    public var visibleDepartments: [String]?

    public init(vehicle: String? = nil, dateFrom: LocalDate? = nil, dateTo: LocalDate? = nil,
                visibleDepartments: [String]? = nil) {
        self.vehicle = vehicle
        self.dateFrom = dateFrom
        self.dateTo = dateTo
        self.visibleDepartments = visibleDepartments
    }
}

/// One stored trip with what the store knows around it (its vehicle, case and manifest).
public struct TripRow: Sendable, Equatable {
    /// The trip's stable key (plate and load start); with `trip.loadedAt` it orders the listing.
    public var key: String
    public var vehicleID: String
    public var trip: StoredTrip
    /// Local times as the store wrote them.
    public var loadedAtText: String
    public var dumpedAtText: String?
    public var caseID: String?
    public var manifestID: String?
    public var receivedT: Double?
}

/// Where a page of trips ends: the last trip's load time and key.
public struct TripPageKey: Sendable, Equatable {
    public var loadedAt: Int64
    public var key: String

    public init(loadedAt: Int64, key: String) {
        self.loadedAt = loadedAt
        self.key = key
    }
}

extension CaseStore {
    /// Up to `limit` trips matching `filter` after `key`, by load time then key.
    public func tripPage(_ filter: TripFilter, after key: TripPageKey?, limit: Int) throws(StoreError) -> [TripRow] {
        var conditions: [String] = []
        var values: [SQLValue] = []
        if let vehicle = filter.vehicle {
            conditions.append("t.vehicle_id = ?")
            values.append(.text(vehicle))
        }
        if let from = filter.dateFrom {
            conditions.append("t.loaded_unix >= ?")
            values.append(.int(from.days * 86_400 - clock.offsetSeconds))
        }
        if let to = filter.dateTo {
            conditions.append("t.loaded_unix < ?")
            values.append(.int((to.days + 1) * 86_400 - clock.offsetSeconds))
        }
        if let visible = filter.visibleDepartments {
            let marks = Array(repeating: "?", count: visible.count).joined(separator: ",")
            conditions.append("EXISTS (SELECT 1 FROM case_departments d WHERE d.case_id = t.case_id AND d.department IN (\(marks)))")
            values.append(contentsOf: visible.map { .text($0) })
        }
        if let key {
            conditions.append("(t.loaded_unix > ? OR (t.loaded_unix = ? AND t.trip_key > ?))")
            values += [.int(key.loadedAt), .int(key.loadedAt), .text(key.key)]
        }
        values.append(.int(Int64(max(0, min(limit, Int(Int32.max))))))
        let sql = "SELECT " + TripColumns.list(named: { "t.\($0.rawValue) AS \($0.rawValue)" })
            + ", t.vehicle_id AS vehicle_id, t.case_id AS case_id, t.manifest_id AS manifest_id, t.received_t AS received_t "
            + "FROM trips t " + (conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
            + " ORDER BY t.loaded_unix, t.trip_key LIMIT ?"
        let s = try prepare(sql, values)
        let trip = try ResultColumns<TripColumns>(s)
        let row = try ResultColumns<TripRowColumns>(s, reading: [.vehicleID, .caseID, .manifestID, .receivedT])
        var out: [TripRow] = []
        while try trip.step() {
            out.append(TripRow(key: trip.text(.key), vehicleID: row.text(.vehicleID), trip: StoredTrip(trip),
                               loadedAtText: trip.text(.loadedAt), dumpedAtText: trip.string(.dumpedAt),
                               caseID: row.string(.caseID), manifestID: row.string(.manifestID),
                               receivedT: row.optionalDouble(.receivedT)))
        }
        return out
    }
}

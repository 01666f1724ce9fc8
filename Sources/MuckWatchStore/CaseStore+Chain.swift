public import MuckWatchCore

/// Which manifests a `/manifests` view lists; `nil` fields do not narrow it.
public struct ManifestFilter: Sendable, Equatable {
    /// A site the load touched: its source, its planned disposal site or the site that closed it.
    public var site: String?
    /// The company the vehicles registry gives the manifest's vehicle.
    public var company: String?
    public var vehicle: String?
    public var driver: String?
    /// Inclusive local dates the manifest was opened on.
    public var dateFrom: LocalDate?
    public var dateTo: LocalDate?
    public var state: ManifestState?

    public init(site: String? = nil, company: String? = nil, vehicle: String? = nil, driver: String? = nil,
                dateFrom: LocalDate? = nil, dateTo: LocalDate? = nil, state: ManifestState? = nil) {
        self.site = site
        self.company = company
        self.vehicle = vehicle
        self.driver = driver
        self.dateFrom = dateFrom
        self.dateTo = dateTo
        self.state = state
    }
}

/// A manifest as the store keeps it, with what a reader needs beside it: the vehicle's company
/// and where its case is routed (so a view can tell who may open the case).
public struct StoredManifest: Sendable, Equatable {
    public var entry: ManifestEntry
    /// From the vehicles registry; `nil` for an unregistered vehicle.
    public var company: String?
    /// The departments of `entry.caseID`'s case, in order; empty without a case.
    public var caseDepartments: [String]

    public var manifest: Manifest { entry.manifest }
}

/// A gate pass with the vehicle it was judged to belong to (its plate read, else its tag's owner).
public struct StoredGateEvent: Sendable, Equatable {
    public var vehicleID: String
    public var event: GateEvent
}

/// One day of the chain (contract section 12) as the statistics page shows it.
public struct ChainStatistics: Sendable, Equatable {
    /// Tonnes declared on the manifests opened at one source site for one waste type.
    public struct Discharged: Sendable, Equatable {
        public var site: String
        public var wasteType: WasteType
        public var tonnes: Double
        public var manifests: Int
    }

    /// Tonnes received by the trips that unloaded at one disposal site.
    public struct Received: Sendable, Equatable {
        public var site: String
        public var facility: Facility
        public var tonnes: Double
        public var trips: Int
    }

    /// One company's or driver's manifests and loads.
    public struct Tally: Sendable, Equatable {
        public var name: String
        public var manifests: Int
        public var closed: Int
        /// Unclosed past the limit or mismatched.
        public var flagged: Int
        public var declaredT: Double
        /// `received_t` of the closed manifests.
        public var receivedT: Double
        /// Always 0 for a driver: a trip without a manifest names no driver.
        public var tripsWithoutManifest: Int

        public var closureRate: Double { manifests > 0 ? Double(closed) / Double(manifests) : 0 }
    }

    public var date: LocalDate
    public var manifestsOpened: Int
    public var manifestsClosed: Int
    /// Trips loaded at a site that matched no manifest once they left it (unloaded since, or
    /// judged `manifest_missing`: a truck parked loaded at the site when the data ends owes
    /// none), as the run's summary counts them; 0 on a day without manifests (a v1 night).
    public var tripsWithoutManifest: Int
    public var discharged: [Discharged]
    public var received: [Received]
    public var byCompany: [Tally]
    public var byDriver: [Tally]

    /// closed / opened; 0 when none were opened.
    public var closureRate: Double { manifestsOpened > 0 ? Double(manifestsClosed) / Double(manifestsOpened) : 0 }

    /// Tonnes received per facility kind, every kind present.
    public var tonnesByFacility: [Facility: Double] {
        var out = Dictionary(uniqueKeysWithValues: Facility.allCases.map { ($0, 0.0) })
        for r in received { out[r.facility, default: 0] += r.tonnes }
        return out
    }

    /// (recycling + sorting) / all tonnes received; 0 when nothing was received.
    public var recyclingRate: Double {
        let by = tonnesByFacility, all = by.values.reduce(0, +)
        return all > 0 ? ((by[.recycling] ?? 0) + (by[.sorting] ?? 0)) / all : 0
    }
}

extension CaseStore {
    /// Whether any run gave the store manifests: the chain's views and figures mean nothing without.
    public func hasManifests() throws(StoreError) -> Bool {
        let r = try ResultColumns<NameCountColumns>(db, "SELECT EXISTS (SELECT 1 FROM manifests) AS count",
                                                    reading: [.count])
        return try r.step() && r.int64(.count) != 0
    }

    /// One page of the manifests matching `filter`, newest opened first (ties by id).
    ///
    /// The page's ids are picked first (ordered by the `manifests_day` index) and only those rows
    /// get their company and case departments, so page 1000 does not gather them for the 50,000
    /// rows before it.
    public func manifestPage(_ filter: ManifestFilter, offset: Int, limit: Int) throws(StoreError) -> [StoredManifest] {
        var (whereSQL, values) = Self.whereClause(filter)
        values.append(.int(Int64(max(0, min(limit, Int(Int32.max))))))
        values.append(.int(Int64(max(0, offset))))
        let order = "ORDER BY m.opened_day DESC, m.opened_unix DESC, m.manifest_id"
        return try readManifests(try prepare(manifestSelect + "\n" + """
            WHERE m.manifest_id IN (SELECT m.manifest_id FROM manifests m \(whereSQL) \(order) LIMIT ? OFFSET ?)
            \(order)
            """, values))
    }

    /// How many manifests match `filter` in each state (its own state ignored); every state present.
    public func manifestCountsByState(_ filter: ManifestFilter) throws(StoreError) -> [ManifestState: Int] {
        var f = filter
        f.state = nil
        let (whereSQL, values) = Self.whereClause(f)
        var counts = Dictionary(uniqueKeysWithValues: ManifestState.allCases.map { ($0, 0) })
        let r = try ResultColumns<NameCountColumns>(
            try prepare("SELECT m.state AS name, count(*) AS count FROM manifests m \(whereSQL) GROUP BY m.state", values))
        while try r.step() {
            guard let state = ManifestState(rawValue: r.text(.name)) else {
                throw .corrupt(what: "manifest state \(r.text(.name))")
            }
            counts[state] = Int(r.int64(.count))
        }
        return counts
    }

    /// Manifests by id, in the order asked (unknown ids left out).
    public func manifests(ids: [String]) throws(StoreError) -> [StoredManifest] {
        var out: [StoredManifest] = []
        var seen = Set<String>()
        for id in ids where seen.insert(id).inserted {
            out += try readManifests(try prepare(manifestSelect + " WHERE m.manifest_id = ?", [.text(id)]))
        }
        return out
    }

    public func manifest(id: String) throws(StoreError) -> StoredManifest? { try manifests(ids: [id]).first }

    /// The manifest matched to the trip of case `caseID`, when there is one (through `trips`,
    /// whose index by case answers this without a scan of the manifests).
    public func matchedManifestID(caseID: String) throws(StoreError) -> String? {
        let r = try ResultColumns<TripRowColumns>(
            db, select: [.manifestID], from: "trips WHERE case_id = :case_id AND manifest_id IS NOT NULL LIMIT 1")
        try r.bind(.caseID, .text(caseID))
        return try r.step() ? r.string(.manifestID) : nil
    }

    /// The local days that have manifests, newest first.
    public func manifestDates() throws(StoreError) -> [LocalDate] {
        let r = try ResultColumns<ManifestColumns>(
            db, "SELECT DISTINCT opened_day FROM manifests ORDER BY opened_day DESC", reading: [.openedDay])
        var out: [LocalDate] = []
        while try r.step() { out.append(LocalDate(days: r.int64(.openedDay))) }
        return out
    }

    /// The sites a manifest filter offers: every construction and disposal site fence.
    public func manifestSites() throws(StoreError) -> [String] {
        try strings("""
            SELECT fence_id AS name FROM fences WHERE kind IN ('construction_site', 'disposal_site') ORDER BY fence_id
            """)
    }

    /// The companies of the vehicles registry.
    public func registryCompanies() throws(StoreError) -> [String] {
        try strings("SELECT DISTINCT company AS name FROM vehicles ORDER BY company")
    }

    /// Gate passes by id (evidence) or by vehicle and time window (context), oldest first, each once.
    public func gateEvents(ids: [String] = [], vehicle: String? = nil, from: Int64 = .min, to: Int64 = .max)
        throws(StoreError) -> [StoredGateEvent] {
        var out: [StoredGateEvent] = []
        let columns: [GateEventColumns] = [.id, .site, .atUnix, .direction, .vehicleID, .plate, .rfid, .grossT, .tareT,
                                           .manifestID, .image]
        func read(_ r: ResultColumns<GateEventColumns>) throws(StoreError) {
            while try r.step() {
                let id = r.text(.id)
                guard let direction = GateDirection(rawValue: r.text(.direction)) else {
                    throw .corrupt(what: "direction \(r.text(.direction)) of gate event \(id)")
                }
                out.append(StoredGateEvent(vehicleID: r.text(.vehicleID), event: GateEvent(
                    id: id, site: r.text(.site), time: r.int64(.atUnix), direction: direction, plate: r.string(.plate),
                    rfid: r.string(.rfid), grossT: r.optionalDouble(.grossT), tareT: r.optionalDouble(.tareT),
                    manifestID: r.string(.manifestID), image: r.string(.image))))
            }
        }
        if !ids.isEmpty {
            let r = try ResultColumns<GateEventColumns>(db, select: columns, from: "gate_events WHERE event_id = :event_id")
            for id in ids {
                try r.bind(.id, .text(id))
                try read(r)
                r.reset()
            }
        }
        if let vehicle {
            let r = try ResultColumns<GateEventColumns>(
                db, select: columns,
                from: "gate_events WHERE vehicle_id = :vehicle_id AND at_unix BETWEEN :from AND :to ORDER BY at_unix")
            try r.bind(.vehicleID, .text(vehicle))
            let window = Parameters<TimeWindowParameters>(r.statement)
            try window.bind(.from, .int(from))
            try window.bind(.to, .int(to))
            try read(r)
        }
        var seen = Set<String>()
        return out.filter { seen.insert($0.event.id).inserted }.sorted { ($0.event.time, $0.event.id) < ($1.event.time, $1.event.id) }
    }

    /// The chain's figures for manifests opened and trips loaded on local day `date`.
    public func chainStatistics(_ date: LocalDate) throws(StoreError) -> ChainStatistics {
        let dayStart = date.days * 86_400 - clock.offsetSeconds
        let day: [SQLValue] = [.int(date.days)]
        let window: [SQLValue] = [.int(dayStart), .int(dayStart + 86_400)]

        var discharged: [ChainStatistics.Discharged] = []
        let d = try ResultColumns<ChainTallyColumns>(try prepare("""
            SELECT source_site AS name, waste_type AS kind, sum(declared_t) AS tonnes, count(*) AS count
            FROM manifests WHERE opened_day = ? GROUP BY source_site, waste_type ORDER BY tonnes DESC, name, kind
            """, day), reading: [.name, .kind, .tonnes, .count])
        while try d.step() {
            guard let waste = WasteType(rawValue: d.text(.kind)) else { throw .corrupt(what: "waste type \(d.text(.kind))") }
            discharged.append(.init(site: d.text(.name), wasteType: waste, tonnes: d.double(.tonnes),
                                    manifests: Int(d.int64(.count))))
        }

        // The same trips and tonnes as the run's summary: unloaded at a disposal site, what it
        // received (weighed, else the manifest's, else the trip's load), by the site's facility.
        var received: [ChainStatistics.Received] = []
        let r = try ResultColumns<ChainTallyColumns>(try prepare("""
            SELECT t.disposal_site AS name, coalesce(f.facility, 'landfill') AS kind,
                sum(coalesce(t.received_t, t.load_t, 0)) AS tonnes, count(*) AS count
            FROM trips t LEFT JOIN fences f ON f.fence_id = t.disposal_site
            WHERE t.loaded_unix >= ? AND t.loaded_unix < ? AND t.dumped_unix IS NOT NULL AND t.disposal_site IS NOT NULL
            GROUP BY t.disposal_site, f.facility ORDER BY tonnes DESC, name
            """, window), reading: [.name, .kind, .tonnes, .count])
        while try r.step() {
            guard let facility = Facility(rawValue: r.text(.kind)) else { throw .corrupt(what: "facility \(r.text(.kind))") }
            received.append(.init(site: r.text(.name), facility: facility, tonnes: r.double(.tonnes),
                                  trips: Int(r.int64(.count))))
        }

        // Per company and per driver from the day's manifests; companies also count their trips without one.
        func tallies(_ group: String, _ unnamed: String) throws(StoreError) -> [String: ChainStatistics.Tally] {
            let t = try ResultColumns<ChainTallyColumns>(try prepare("""
                SELECT coalesce(\(group), '\(unnamed)') AS name, count(*) AS count,
                    count(*) FILTER (WHERE m.closed_unix IS NOT NULL) AS closed,
                    count(*) FILTER (WHERE m.state IN ('unclosed', 'mismatched')) AS flagged,
                    sum(m.declared_t) AS tonnes, sum(coalesce(m.received_t, 0)) AS received
                FROM manifests m LEFT JOIN vehicles v ON v.vehicle_id = m.vehicle_id
                WHERE m.opened_day = ? GROUP BY name
                """, day), reading: [.name, .count, .closed, .flagged, .tonnes, .received])
            var out: [String: ChainStatistics.Tally] = [:]
            while try t.step() {
                out[t.text(.name)] = .init(name: t.text(.name), manifests: Int(t.int64(.count)),
                                           closed: Int(t.int64(.closed)), flagged: Int(t.int64(.flagged)),
                                           declaredT: t.double(.tonnes), receivedT: t.double(.received),
                                           tripsWithoutManifest: 0)
            }
            return out
        }
        var companies = try tallies("v.company", Self.unregisteredCompany)
        let drivers = try tallies("m.driver_id", Self.noDriver)
        let opened = companies.values.reduce(0) { $0 + $1.manifests }
        let closed = companies.values.reduce(0) { $0 + $1.closed }

        var withoutManifest = 0
        if opened > 0 {
            let w = try ResultColumns<ChainTallyColumns>(try prepare("""
                SELECT coalesce(v.company, '\(Self.unregisteredCompany)') AS name, count(*) AS count
                FROM trips t LEFT JOIN vehicles v ON v.vehicle_id = t.vehicle_id
                WHERE t.loaded_unix >= ? AND t.loaded_unix < ? AND t.source_site IS NOT NULL AND t.manifest_id IS NULL
                    AND (t.dumped_unix IS NOT NULL OR EXISTS (SELECT 1 FROM violations x WHERE x.case_id = t.case_id
                        AND x.type = 'manifest_missing' AND x.start_unix = t.loaded_unix))
                GROUP BY name
                """, window), reading: [.name, .count])
            while try w.step() {
                let name = w.text(.name), n = Int(w.int64(.count))
                withoutManifest += n
                companies[name, default: .init(name: name, manifests: 0, closed: 0, flagged: 0, declaredT: 0,
                                               receivedT: 0, tripsWithoutManifest: 0)].tripsWithoutManifest = n
            }
        }
        func ordered(_ t: [String: ChainStatistics.Tally]) -> [ChainStatistics.Tally] {
            t.values.sorted { ($1.manifests + $1.tripsWithoutManifest, $0.name) < ($0.manifests + $0.tripsWithoutManifest, $1.name) }
        }
        return ChainStatistics(date: date, manifestsOpened: opened, manifestsClosed: closed,
                               tripsWithoutManifest: withoutManifest, discharged: discharged, received: received,
                               byCompany: ordered(companies), byDriver: ordered(drivers))
    }

    /// How the chain statistics name the company of a vehicle the registry lacks, and the driver
    /// of a manifest that names none.
    public static let unregisteredCompany = "(unregistered)"
    public static let noDriver = "(no driver)"

    /// Every column a `StoredManifest` is read from; a WHERE (and ORDER) follows.
    var manifestSelect: String { """
        SELECT \(ManifestColumns.list(ManifestColumns.read, named: { "m." + $0.rawValue + " AS " + $0.rawValue })),
            v.company AS company,
            \(db.dialect.departmentList(caseID: "m.case_id")) AS departments
        FROM manifests m LEFT JOIN vehicles v ON v.vehicle_id = m.vehicle_id
        """
    }

    /// The WHERE clause (with its bound values) selecting the manifests `filter` describes.
    static func whereClause(_ filter: ManifestFilter) -> (sql: String, values: [SQLValue]) {
        var conditions: [String] = []
        var values: [SQLValue] = []
        if let site = filter.site {
            conditions.append("(m.source_site = ? OR m.disposal_site = ? OR m.closed_site = ?)")
            values += [.text(site), .text(site), .text(site)]
        }
        let comparisons: [(String, SQLValue?)] = [
            ("m.vehicle_id IN (SELECT vehicle_id FROM vehicles WHERE company = ?)", filter.company.map { .text($0) }),
            ("m.vehicle_id = ?", filter.vehicle.map { .text($0) }),
            ("m.driver_id = ?", filter.driver.map { .text($0) }),
            ("m.opened_day >= ?", filter.dateFrom.map { .int($0.days) }),
            ("m.opened_day <= ?", filter.dateTo.map { .int($0.days) }),
            ("m.state = ?", filter.state.map { .text($0.rawValue) }),
        ]
        for case let (condition, value?) in comparisons {
            conditions.append(condition)
            values.append(value)
        }
        return (conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "), values)
    }

    /// Reads the rows of a statement built on `manifestSelect`.
    func readManifests(_ statement: Statement) throws(StoreError) -> [StoredManifest] {
        let m = try ResultColumns<ManifestColumns>(statement, reading: ManifestColumns.read)
        let extra = try ResultColumns<ManifestExtraColumns>(statement)
        var out: [StoredManifest] = []
        while try m.step() {
            let id = m.text(.id)
            guard let waste = WasteType(rawValue: m.text(.wasteType)), let state = ManifestState(rawValue: m.text(.state))
            else { throw .corrupt(what: "waste type or state of manifest \(id)") }
            let manifest = Manifest(
                id: id, permitID: m.string(.permitID), vehicleID: m.text(.vehicleID), driverID: m.string(.driverID),
                sourceSite: m.text(.sourceSite), disposalSite: m.text(.disposalSite), wasteType: waste,
                declaredT: m.double(.declaredT), openedAt: m.int64(.openedUnix), closedAt: m.optionalInt64(.closedUnix),
                closedSite: m.string(.closedSite), receivedT: m.optionalDouble(.receivedT))
            out.append(StoredManifest(
                entry: ManifestEntry(manifest: manifest, state: state, tripLoadedAt: m.optionalInt64(.tripLoadedUnix),
                                     caseID: m.string(.caseID)),
                company: extra.string(.company),
                caseDepartments: (extra.string(.departments) ?? "").split(separator: "\u{1F}").map(String.init)))
        }
        return out
    }
}

extension ManifestColumns {
    /// The columns a `StoredManifest` is read from.
    static let read: [ManifestColumns] = allCases.filter { ![.openedAt, .openedDay, .closedAt, .runID].contains($0) }
}

/// What `manifestSelect` reads beside the manifest's own columns.
private enum ManifestExtraColumns: String, ColumnSet {
    case company, departments
}

/// The grouped sums of `chainStatistics`.
private enum ChainTallyColumns: String, ColumnSet {
    case name, kind, tonnes, count, closed, flagged, received
}

public import MuckWatchCore

/// One day's figures for the statistics page: what analysts and supervisors read first.
public struct DailyStatistics: Sendable, Equatable {
    public var date: LocalDate
    /// Tonnes hauled out of each source site and into each disposal site (completed trips), largest first.
    public var tonnesBySourceSite: [(name: String, tonnes: Double, trips: Int)]
    public var tonnesByDisposalSite: [(name: String, tonnes: Double, trips: Int)]
    /// Violations of the day's current cases, most frequent first.
    public var violationsByType: [(name: String, count: Int)]
    public var violationsByCompany: [(name: String, count: Int)]
    public var casesByStatus: [(name: String, count: Int)]

    public static func == (a: DailyStatistics, b: DailyStatistics) -> Bool {
        func same<T: Equatable>(_ x: [(name: String, count: T)], _ y: [(name: String, count: T)]) -> Bool {
            x.count == y.count && zip(x, y).allSatisfy { $0.name == $1.name && $0.count == $1.count }
        }
        func sameT(_ x: [(name: String, tonnes: Double, trips: Int)], _ y: [(name: String, tonnes: Double, trips: Int)]) -> Bool {
            x.count == y.count && zip(x, y).allSatisfy { $0.name == $1.name && $0.tonnes == $1.tonnes && $0.trips == $1.trips }
        }
        return a.date == b.date && sameT(a.tonnesBySourceSite, b.tonnesBySourceSite)
            && sameT(a.tonnesByDisposalSite, b.tonnesByDisposalSite) && same(a.violationsByType, b.violationsByType)
            && same(a.violationsByCompany, b.violationsByCompany) && same(a.casesByStatus, b.casesByStatus)
    }
}

extension CaseStore {
    /// The local dates that have cases, newest first.
    public func caseDates() throws(StoreError) -> [LocalDate] {
        let r = try ResultColumns<CaseColumns>(db, "SELECT DISTINCT case_day FROM cases ORDER BY case_day DESC",
                                               reading: [.caseDay])
        var out: [LocalDate] = []
        while try r.step() { out.append(LocalDate(days: r.int64(.caseDay))) }
        return out
    }

    /// Distinct values officers filter by: departments cases have been routed to, and
    /// companies that have cases.
    public func caseDepartments() throws(StoreError) -> [String] {
        try strings("SELECT department AS name FROM departments ORDER BY department")
    }

    public func caseCompanies() throws(StoreError) -> [String] {
        try strings("SELECT DISTINCT company AS name FROM cases WHERE company IS NOT NULL ORDER BY company")
    }

    /// Trips are counted on the local day they were loaded; cases on their case date.
    public func dailyStatistics(_ date: LocalDate) throws(StoreError) -> DailyStatistics {
        let dayStart = date.days * 86_400 - clock.offsetSeconds
        func tonnes(_ column: TripColumns) throws(StoreError) -> [(name: String, tonnes: Double, trips: Int)] {
            let site = column.rawValue
            let r = try ResultColumns<SiteTonnesColumns>(db, """
                SELECT \(site) AS name, sum(coalesce(load_t, 0)) AS tonnes, count(*) AS trips FROM trips
                WHERE loaded_unix >= :from AND loaded_unix < :to AND dumped_unix IS NOT NULL AND \(site) IS NOT NULL
                GROUP BY \(site) ORDER BY tonnes DESC, name
                """)
            let window = Parameters<TimeWindowParameters>(r.statement)
            try window.bind(.from, .int(dayStart))
            try window.bind(.to, .int(dayStart + 86_400))
            var out: [(name: String, tonnes: Double, trips: Int)] = []
            while try r.step() { out.append((r.text(.name), r.double(.tonnes), Int(r.int64(.trips)))) }
            return out
        }
        func counts(_ sql: String) throws(StoreError) -> [(name: String, count: Int)] {
            let r = try ResultColumns<NameCountColumns>(db, sql)
            try Parameters<CaseColumns>(r.statement).bind(.caseDay, .int(date.days))
            var out: [(name: String, count: Int)] = []
            while try r.step() { out.append((r.text(.name), Int(r.int64(.count)))) }
            return out
        }
        return DailyStatistics(
            date: date,
            tonnesBySourceSite: try tonnes(.sourceSite),
            tonnesByDisposalSite: try tonnes(.disposalSite),
            violationsByType: try counts("""
                SELECT v.type AS name, count(*) AS count FROM violations v JOIN cases c ON c.case_id = v.case_id
                WHERE c.case_day = :case_day AND c.superseded = 0 GROUP BY v.type ORDER BY count DESC, name
                """),
            violationsByCompany: try counts("""
                SELECT coalesce(c.company, '(unregistered)') AS name, count(*) AS count FROM violations v
                JOIN cases c ON c.case_id = v.case_id
                WHERE c.case_day = :case_day AND c.superseded = 0 GROUP BY name ORDER BY count DESC, name
                """),
            casesByStatus: try counts("""
                SELECT status AS name, count(*) AS count FROM cases WHERE case_day = :case_day AND superseded = 0
                GROUP BY status ORDER BY count DESC, name
                """))
    }

    /// The one column of `sql`'s rows, named `name` in its result.
    func strings(_ sql: String) throws(StoreError) -> [String] {
        let r = try ResultColumns<NameCountColumns>(db, sql, reading: [.name])
        var out: [String] = []
        while try r.step() { out.append(r.text(.name)) }
        return out
    }
}

/// `dailyStatistics`' tonnes per site.
private enum SiteTonnesColumns: String, ColumnSet {
    case name, tonnes, trips
}

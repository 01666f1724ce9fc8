import MuckWatchCore

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
        let s = try db.prepare("SELECT DISTINCT case_day FROM cases ORDER BY case_day DESC")
        var out: [LocalDate] = []
        while try s.step() { out.append(LocalDate(days: s.int64(0))) }
        return out
    }

    /// Distinct values officers filter by: departments cases have been routed to, and
    /// companies that have cases.
    public func caseDepartments() throws(StoreError) -> [String] {
        try strings("SELECT department FROM departments ORDER BY department")
    }

    public func caseCompanies() throws(StoreError) -> [String] {
        try strings("SELECT DISTINCT company FROM cases WHERE company IS NOT NULL ORDER BY company")
    }

    /// Trips are counted on the local day they were loaded; cases on their case date.
    public func dailyStatistics(_ date: LocalDate) throws(StoreError) -> DailyStatistics {
        let dayStart = date.days * 86_400 - clock.offsetSeconds
        func tonnes(_ column: String) throws(StoreError) -> [(name: String, tonnes: Double, trips: Int)] {
            let s = try db.prepare("""
                SELECT \(column), sum(coalesce(load_t, 0)), count(*) FROM trips
                WHERE loaded_unix >= ? AND loaded_unix < ? AND dumped_unix IS NOT NULL AND \(column) IS NOT NULL
                GROUP BY \(column) ORDER BY 2 DESC, 1
                """)
            try s.bind(1, dayStart)
            try s.bind(2, dayStart + 86_400)
            var out: [(name: String, tonnes: Double, trips: Int)] = []
            while try s.step() { out.append((s.text(0), s.double(1), Int(s.int64(2)))) }
            return out
        }
        func counts(_ sql: String) throws(StoreError) -> [(name: String, count: Int)] {
            let s = try db.prepare(sql)
            try s.bind(1, date.days)
            var out: [(name: String, count: Int)] = []
            while try s.step() { out.append((s.text(0), Int(s.int64(1)))) }
            return out
        }
        return DailyStatistics(
            date: date,
            tonnesBySourceSite: try tonnes("source_site"),
            tonnesByDisposalSite: try tonnes("disposal_site"),
            violationsByType: try counts("""
                SELECT v.type, count(*) FROM violations v JOIN cases c ON c.case_id = v.case_id
                WHERE c.case_day = ? AND c.superseded = 0 GROUP BY v.type ORDER BY 2 DESC, 1
                """),
            violationsByCompany: try counts("""
                SELECT coalesce(c.company, '(unregistered)'), count(*) FROM violations v
                JOIN cases c ON c.case_id = v.case_id
                WHERE c.case_day = ? AND c.superseded = 0 GROUP BY 1 ORDER BY 2 DESC, 1
                """),
            casesByStatus: try counts("""
                SELECT status, count(*) FROM cases WHERE case_day = ? AND superseded = 0 GROUP BY status ORDER BY 2 DESC, 1
                """))
    }

    func strings(_ sql: String) throws(StoreError) -> [String] {
        let s = try db.prepare(sql)
        var out: [String] = []
        while try s.step() { out.append(s.text(0)) }
        return out
    }
}

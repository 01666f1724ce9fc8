import Hummingbird
import HummingbirdTesting
import MuckWatchCore
import MuckWatchStore
import Testing
import MuckWatchTestSupport
import Foundation

@Suite("Review app: case list and statistics")
struct CaseListTests {
    /// Case ids listed on a page, in order.
    static func ids(_ html: String) -> [String] {
        html.components(separatedBy: #"class="case-link">"#).dropFirst().map { String($0.prefix { $0 != "<" }) }
    }

    @Test("Each filter lists exactly the store's matching cases, with counts per status", arguments: StoreBackend.allCases)
    func filters(backend: StoreBackend) async throws {
        let world = try await ReviewWorld.make(backend)
        defer { world.cleanup() }
        let store = try world.store()
        let all = try store.listCases(CaseFilter())
        let sample = all[0]
        let filters: [(String, CaseFilter)] = [
            ("type=no_permit", CaseFilter(type: .noPermit)),
            ("department=traffic_police", CaseFilter(department: "traffic_police")),
            ("company=\(sample.company!.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)",
             CaseFilter(company: sample.company)),
            ("vehicle=\(sample.vehicleID.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)",
             CaseFilter(vehicle: sample.vehicleID)),
            ("from=\(sample.date)&to=\(sample.date)", CaseFilter(dateFrom: sample.date, dateTo: sample.date)),
            ("status=open&type=overload", CaseFilter(type: .overload, status: .open)),
        ]
        let expectations = try filters.map { q, f in (q, try store.listCases(f).map(\.caseID)) }
        let open = try store.countsByStatus()[.open]!
        try await world.app().test(.router) { client in
            var b = Browser()
            try await b.login(client, "li")
            for (query, expected) in expectations {
                let page = try await b.get(client, "/cases?" + query)
                #expect(page.status == .ok)
                #expect(Self.ids(page.text) == Array(expected.prefix(50)), "\(query)")
                #expect(page.text.contains("<small>\(expected.count) matching</small>"), "\(query)")
            }
            let page = try await b.get(client, "/cases")
            #expect(page.text.contains(#"data-status="open">open 待审 <b>\#(open)</b>"#))
        }
    }

    @Test("Sorting and paging walk every case exactly once", arguments: StoreBackend.allCases)
    func paging(backend: StoreBackend) async throws {
        let world = try await ReviewWorld.make(backend)
        defer { world.cleanup() }
        let store = try world.store()
        let expected = try store.casePage(CaseFilter(), sort: .vehicle, descending: false, offset: 0, limit: 1000)
            .map(\.caseID)
        let seen = try await world.app().test(.router) { client in
            var seen: [String] = []
            var b = Browser()
            try await b.login(client, "li")
            var page = 1
            while true {
                let r = try await b.get(client, "/cases?sort=vehicle&dir=asc&page=\(page)")
                let ids = Self.ids(r.text)
                if ids.isEmpty { break }
                seen += ids
                page += 1
            }
            return seen
        }
        // Page size 50 and fewer cases: one page; the order is the store's.
        #expect(seen == expected)
    }

    @Test("Hostile filter values are data, not SQL or markup; bad values are reported", arguments: StoreBackend.allCases)
    func hostileFilters(backend: StoreBackend) async throws {
        let world = try await ReviewWorld.make(backend)
        defer { world.cleanup() }
        try await world.app().test(.router) { client in
            var b = Browser()
            try await b.login(client, "li")
            let injection = try await b.get(client, "/cases?company=%27%20OR%201%3D1%20--&vehicle=x%22%3E%3Cscript%3E")
            #expect(injection.status == .ok)
            #expect(Self.ids(injection.text).isEmpty)
            #expect(!injection.text.contains("<script>"))
            let bad = try await b.get(client, "/cases?status=lost&from=yesterday&sort=%3Bdrop")
            #expect(bad.status == .ok)
            #expect(bad.text.contains("unknown status “lost”"))
            #expect(bad.text.contains("not a date"))
        }
        #expect(try world.store().listCases(CaseFilter()).count > 0)
    }

    @Test("Oversized form bodies are refused before they are read", arguments: StoreBackend.allCases)
    func oversized(backend: StoreBackend) async throws {
        let world = try await ReviewWorld.make(backend)
        defer { world.cleanup() }
        let c = try world.caseRouted(to: "city_management")
        try await world.app().test(.router) { client in
            var b = Browser()
            try await b.login(client, "wang")
            let r = try await b.post(client, "/cases/\(c.caseID)/status",
                                     ["to": "dismissed", "note": String(repeating: "x", count: 200_000)])
            #expect(r.status == .contentTooLarge)
        }
        #expect(try world.store().loadCase(id: c.caseID)?.status == .open)
    }

    @Test("The statistics page shows the day's tonnes per site, violations per type and company, cases per status", arguments: StoreBackend.allCases)
    func statistics(backend: StoreBackend) async throws {
        let world = try await ReviewWorld.make(backend)
        defer { world.cleanup() }
        let store = try world.store()
        let day = try store.caseDates().first!
        let stats = try store.dailyStatistics(day)
        #expect(!stats.tonnesBySourceSite.isEmpty && !stats.violationsByType.isEmpty)
        try await world.app().test(.router) { client in
            var b = Browser()
            try await b.login(client, "wang")
            let r = try await b.get(client, "/stats?date=\(day)")
            #expect(r.status == .ok)
            for section in ["stat-source", "stat-disposal", "stat-types", "stat-companies", "stat-status"] {
                #expect(r.text.contains(#"id="\#(section)""#))
            }
            let top = stats.tonnesBySourceSite[0]
            #expect(r.text.contains(top.name))
            #expect(r.text.contains(String(format: "%.1f", top.tonnes)))
        }
    }
}

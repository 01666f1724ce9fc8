import Foundation
import Hummingbird
import HummingbirdTesting
import MuckWatchCore
import MuckWatchStore
import MuckWatchTestSupport
import Testing

/// `GET /api/v1/cases` (every filter of the review list, cursor paging), `GET /api/v1/cases/{id}`.
@Suite("API: listing and reading cases")
struct CaseEndpointTests {
    /// Each filter against the store's own listing of the same filter, read over several pages.
    @Test(arguments: StoreBackend.allCases, [false, true])
    func everyFilterSelectsWhatTheStoreSelects(backend: StoreBackend, live: Bool) async throws {
        let world = try await APIWorld.make(backend)
        defer { world.cleanup() }
        let store = try world.store()
        let all = try store.listCases(CaseFilter())
        #expect(all.count > 8)
        let sample = all[all.count / 2]
        let company = try #require(all.compactMap(\.company).first)
        let type = try #require(sample.violationTypes.first)
        // Some cases dispatched (by the store directly) so the status filter has two sides.
        for c in all.prefix(3) { try store.setStatus(caseID: c.caseID, to: .dispatched, actor: "test", note: nil) }
        let dates = Set(all.map(\.date)).sorted()
        let filters: [(String, CaseFilter)] = [
            ("status=dispatched", CaseFilter(status: .dispatched)),
            ("status=open", CaseFilter(status: .open)),
            ("type=\(type.rawValue)", CaseFilter(type: type)),
            ("department=traffic_police", CaseFilter(department: "traffic_police")),
            ("company=\(company.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)", CaseFilter(company: company)),
            ("vehicle=\(sample.vehicleID.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)",
             CaseFilter(vehicle: sample.vehicleID)),
            ("from=\(dates.last!)", CaseFilter(dateFrom: dates.last!)),
            ("to=\(dates.first!)", CaseFilter(dateTo: dates.first!)),
            ("superseded=true", CaseFilter(includeSuperseded: true)),
            ("status=open&department=city_management&from=\(dates.first!)&to=\(dates.last!)",
             CaseFilter(department: "city_management", status: .open, dateFrom: dates.first!, dateTo: dates.last!)),
        ]
        try await world.test(live: live) { client in
            let store = try world.store()
            for (query, filter) in filters {
                let expected = try store.listCases(filter).map(\.caseID)
                let got = try await allPages(client, "/api/v1/cases?limit=3&" + query, headers: world.headers("reader"))
                #expect(got == expected, "\(query)")
                #expect(!expected.isEmpty || query.hasPrefix("superseded"), "\(query) selects nothing in the sample")
            }
        }
    }

    @Test(arguments: StoreBackend.allCases, [false, true])
    func malformedParametersAre400NamingTheField(backend: StoreBackend, live: Bool) async throws {
        let world = try await APIWorld.make(backend)
        defer { world.cleanup() }
        try await world.test(live: live) { client in
            for (query, field) in [("status=lost", "status"), ("type=littering", "type"), ("from=2026-13-01", "from"),
                                   ("to=tomorrow", "to"), ("from=", "from"), ("to=2026-11-3", "to"), ("from=%202026-11-30", "from"), ("limit=0", "limit"), ("limit=501", "limit"), ("limit=ten", "limit"),
                                   ("superseded=perhaps", "superseded"), ("cursor=%25%25", "cursor"), ("cursor=bm9wZQ", "cursor")] {
                let r = try await client.execute(uri: "/api/v1/cases?" + query, method: .get, headers: world.headers("reader"))
                #expect(r.status == .badRequest, "\(query)")
                let body = try json(r)
                #expect(body["field"] as? String == field, "\(query): \(body)")
                #expect((body["error"] as? String)?.isEmpty == false)
            }
            let r = try await client.execute(uri: "/api/v1/trips?from=30/11/2026", method: .get, headers: world.headers("reader"))
            #expect(r.status == .badRequest)
            #expect(try json(r)["field"] as? String == "from")
            let s = try await client.execute(uri: "/api/v1/statistics?date=x", method: .get, headers: world.headers("reader"))
            #expect(try json(s)["field"] as? String == "date")
        }
    }

    /// A cursor names the last case of its page: moving a case of page 1 out of the filter
    /// (an offset would then skip one) leaves page 2 as it was.
    @Test(arguments: StoreBackend.allCases, [false, true])
    func pagesFollowTheCursorAndStayStableWhenCasesChange(backend: StoreBackend, live: Bool) async throws {
        let world = try await APIWorld.make(backend)
        defer { world.cleanup() }
        let store = try world.store()
        let expected = try store.listCases(CaseFilter(status: .open)).map(\.caseID)
        try #require(expected.count >= 7)
        try await world.test(live: live) { client in
            let all = try await allPages(client, "/api/v1/cases?status=open&limit=2", headers: world.headers("reader"))
            #expect(all == expected)
            let first = try json(try await client.execute(uri: "/api/v1/cases?status=open&limit=3", method: .get,
                                                          headers: world.headers("reader")))
            let cursor = try #require(first["next_cursor"] as? String)
            let before = try json(try await client.execute(uri: "/api/v1/cases?status=open&limit=3&cursor=\(cursor)",
                                                           method: .get, headers: world.headers("reader")))
            try world.store().setStatus(caseID: expected[0], to: .dispatched, actor: "test", note: nil)
            let after = try json(try await client.execute(uri: "/api/v1/cases?status=open&limit=3&cursor=\(cursor)",
                                                          method: .get, headers: world.headers("reader")))
            let ids = { (page: [String: Any]) in (page["cases"] as! [[String: Any]]).map { $0["case_id"] as! String } }
            #expect(ids(before) == Array(expected[3..<6]))
            #expect(ids(after) == ids(before))
            // The last page says so.
            let last = try json(try await client.execute(uri: "/api/v1/cases?status=open&limit=500", method: .get,
                                                         headers: world.headers("reader")))
            #expect(last["next_cursor"] == nil)
        }
    }

    /// The case is the night's `cases.json` object, field for field, with its audit trail.
    @Test(arguments: StoreBackend.allCases, [false, true])
    func aCaseIsItsCasesJSONObjectWithItsAudit(backend: StoreBackend, live: Bool) async throws {
        let world = try await APIWorld.make(backend)
        defer { world.cleanup() }
        let ids = Array(APIWorld.casesJSON.keys.sorted().prefix(25))
        try await world.test(live: live) { client in
            for id in ids {
                let r = try await client.execute(uri: "/api/v1/cases/\(id)", method: .get, headers: world.headers("reader"))
                #expect(r.status == .ok)
                let body = try json(r)
                let document = try #require(body["case"])
                #expect(canonical(document) == APIWorld.casesJSON[id], "\(id)")
                let audit = try #require(body["audit"] as? [[String: Any]])
                #expect(audit.first?["action"] as? String == "created")
                #expect(body["allowed_transitions"] as? [String] == ["dispatched", "dismissed"])
                #expect(body["superseded"] as? Bool == false)
            }
            let missing = try await client.execute(uri: "/api/v1/cases/C-NOPE", method: .get, headers: world.headers("reader"))
            #expect(missing.status == .notFound)
            #expect(try json(missing)["field"] as? String == "id")
        }
    }

    @Test(arguments: StoreBackend.allCases, [false, true])
    func tripsPageByLoadTimeAndStatisticsMatchTheStore(backend: StoreBackend, live: Bool) async throws {
        let world = try await APIWorld.make(backend)
        defer { world.cleanup() }
        let store = try world.store()
        let day = try #require(try store.caseDates().first)
        let stats = try store.dailyStatistics(day).violationsByType.map { "\($0.name)=\($0.count)" }
        let tripCount = try store.tripPage(TripFilter(), after: nil, limit: 100_000).count
        try await world.test(live: live) { client in
            var keys: [String] = []
            var cursor: String?
            var pages = 0
            repeat {
                let r = try await client.execute(uri: "/api/v1/trips?limit=7" + (cursor.map { "&cursor=" + $0 } ?? ""),
                                                 method: .get, headers: world.headers("reader"))
                #expect(r.status == .ok)
                let page = try json(r)
                keys += (page["trips"] as! [[String: Any]]).map { "\($0["loaded_at"]!)/\($0["vehicle_id"]!)" }
                cursor = page["next_cursor"] as? String
                pages += 1
            } while cursor != nil
            #expect(pages > 2)
            #expect(keys == keys.sorted())
            #expect(Set(keys).count == keys.count)
            #expect(keys.count == tripCount)
            let s = try json(try await client.execute(uri: "/api/v1/statistics?date=\(day)", method: .get,
                                                      headers: world.headers("reader")))
            #expect(s["date"] as? String == day.description)
            let byType = (s["violations_by_type"] as! [[String: Any]]).map { "\($0["name"]!)=\($0["count"]!)" }
            #expect(byType == stats)
            let newest = try json(try await client.execute(uri: "/api/v1/statistics", method: .get, headers: world.headers("ops")))
            #expect(newest["date"] as? String == day.description)
        }
    }
}

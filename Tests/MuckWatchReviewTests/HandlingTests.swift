import Foundation
import Hummingbird
import HummingbirdTesting
import MuckWatchCore
import MuckWatchStore
import MuckWatchTestSupport
import Testing

@Suite("Review app: on-site handling, evaluation and deadlines (issue #26)")
struct HandlingTests {
    /// Three city_management cases (not routed to traffic_police), their ids in list order.
    func cityCases(_ world: ReviewWorld) throws -> [String] {
        let ids = try world.store().listCases(CaseFilter(department: "city_management"))
            .filter { !$0.departments.contains("traffic_police") }.map(\.caseID)
        #expect(ids.count >= 3)
        return Array(ids.prefix(3))
    }

    @Test("An officer records the outcome of a dispatched case; the rules refuse incomplete records; the audit row says who and what", arguments: StoreBackend.allCases)
    func handling(backend: StoreBackend) async throws {
        let world = try await ReviewWorld.make(backend)
        defer { world.cleanup() }
        try world.startClock()
        let id = try cityCases(world)[0]
        try await world.app().test(.router) { client in
            var wang = Browser()
            try await wang.login(client, "wang")
            try await wang.get(client, "/cases/\(id)")
            let early = try await wang.post(client, "/cases/\(id)/handling", ["outcome": "warning"])
            #expect(early.status == .conflict)
            #expect(early.text.contains("Only a dispatched case can be handled"))
            try await wang.post(client, "/cases/\(id)/status", ["to": "dispatched"])
            let page = try await wang.get(client, "/cases/\(id)")
            #expect(page.text.contains("id=\"handling-form\""))
            #expect(page.text.contains("href=\"geo:"))
            let noAmount = try await wang.post(client, "/cases/\(id)/handling", ["outcome": "penalty_issued", "document_number": "万城罚123"])
            #expect(noAmount.status == .badRequest)
            #expect(noAmount.text.contains("amount in yuan"))
            let junk = try await wang.post(client, "/cases/\(id)/handling", ["outcome": "penalty_issued", "penalty_yuan": "lots"])
            #expect(junk.status == .badRequest)
            let noDoc = try await wang.post(client, "/cases/\(id)/handling", ["outcome": "penalty_issued", "penalty_yuan": "2000"])
            #expect(noDoc.text.contains("decision document"))
            let forged = try await wang.post(client, "/cases/\(id)/handling", ["outcome": "warning"], csrf: "nope")
            #expect(forged.status == .forbidden)
            var chen = Browser()
            try await chen.login(client, "chen")
            try await chen.get(client, "/cases/\(id)")
            #expect(try await chen.post(client, "/cases/\(id)/handling", ["outcome": "warning"]).status == .forbidden)
            let ok = try await wang.post(client, "/cases/\(id)/handling", [
                "outcome": "penalty_issued", "penalty_yuan": "2000", "document_number": "万城管罚〔2026〕118号",
                "note": "driver admitted the dump"])
            #expect(ok.status == .seeOther)
            let after = try await wang.get(client, "/cases/\(id)")
            #expect(after.text.contains("penalty issued 罚款"))
            #expect(after.text.contains("2000 yuan · document 万城管罚〔2026〕118号"))
            #expect(!after.text.contains("id=\"handling-form\""))
        }
        let s = try world.store()
        #expect(try s.loadCase(id: id)?.status == .resolved)
        let h = try s.handlings(caseID: id)
        #expect(h.count == 1)
        #expect(h[0].actor == "wang")
        #expect(h[0].handling == Handling(outcome: .penaltyIssued, penaltyYuan: 2000, documentNumber: "万城管罚〔2026〕118号",
                                          note: "driver admitted the dump"))
        let audit = try s.events(caseID: id).last!
        #expect(audit.action == "handled" && audit.actor == "wang" && audit.fromStatus == .dispatched && audit.toStatus == .resolved)
        #expect(audit.note!.contains("penalty_issued") && audit.note!.contains("万城管罚〔2026〕118号"))
    }

    @Test("A supervisor closes or sends back a handled case; figures on the statistics and overdue pages agree with the audit trail's timestamps (independent SQL)", arguments: StoreBackend.allCases)
    func evaluationAndFigures(backend: StoreBackend) async throws {
        let world = try await ReviewWorld.make(backend)
        defer { world.cleanup() }
        try world.startClock(after: 600)
        let ids = try cityCases(world)
        let (a, b, c) = (ids[0], ids[1], ids[2])
        try await world.app().test(.router) { client in
            var wang = Browser(), li = Browser()
            try await wang.login(client, "wang")
            try await li.login(client, "li")
            func step(_ id: String, _ fields: [String: String], to path: String) async throws {
                try await wang.get(client, "/cases/\(id)")
                let r = try await wang.post(client, "/cases/\(id)/\(path)", fields)
                #expect(r.status == .seeOther, "\(id) \(path): \(r.text.prefix(300))")
            }
            func evaluate(_ id: String, _ fields: [String: String]) async throws -> TestResponse {
                try await li.get(client, "/cases/\(id)")
                return try await li.post(client, "/cases/\(id)/evaluation", fields)
            }
            // a: dispatched at once, handled after 3 h, closed: on time.
            try await step(a, ["to": "dispatched"], to: "status")
            world.clock.advance(3 * 3600)
            // b: dispatched 3 h late, handled, sent back, handled again.
            try await step(b, ["to": "dispatched"], to: "status")
            try await step(c, ["to": "dispatched"], to: "status")
            world.clock.advance(1800)
            try await step(a, ["outcome": "warning"], to: "handling")
            try await step(b, ["outcome": "cleanup_ordered", "note": "site manager called"], to: "handling")
            world.clock.advance(3600)
            // Officers do not evaluate; a reason is needed to send back; a case not handled is not evaluated.
            try await wang.get(client, "/cases/\(a)")
            #expect(try await wang.post(client, "/cases/\(a)/evaluation", ["verdict": "proper"]).status == .forbidden)
            let noReason = try await evaluate(b, ["verdict": "sent_back", "reason": "  "])
            #expect(noReason.status == .badRequest)
            #expect(noReason.text.contains("needs a reason"))
            #expect(try await evaluate(c, ["verdict": "proper"]).status == .conflict)
            #expect(try await evaluate(a, ["verdict": "proper"]).status == .seeOther)
            #expect(try await evaluate(b, ["verdict": "sent_back", "reason": "no photo of the cleaned site"]).status == .seeOther)
            world.clock.advance(2 * 3600)
            try await step(b, ["outcome": "cleanup_ordered", "note": "cleaned, photo attached"], to: "handling")
            world.clock.advance(600)
            #expect(try await evaluate(b, ["verdict": "proper"]).status == .seeOther)
            // c waits: 30 h after its dispatch it is overdue (and the day's logins have expired).
            world.clock.advance(30 * 3600)
            try await wang.login(client, "wang")
            try await li.login(client, "li")

            let s = try world.store()
            #expect(try s.loadCase(id: a)?.status == .closed)
            #expect(try s.loadCase(id: b)?.status == .closed)
            #expect(try s.evaluations(caseID: b).map(\.verdict) == [.sentBack, .proper])
            #expect(try s.evaluations(caseID: b)[0].reason == "no photo of the cleaned site")

            // Independent SQL over the audit trail: the same figures from the rows themselves.
            let db = try world.database()
            func int(_ sql: String) throws -> Int64 { try db.scalarInt(sql)! }
            func times(_ id: String) throws -> (found: Int64, first: Int64, last: Int64, handled: Int64?) {
                let q = "FROM case_events WHERE case_id = '\(id)'"
                return (try int("SELECT min(at_unix) \(q) AND action = 'created'"),
                        try int("SELECT min(at_unix) \(q) AND to_status = 'dispatched' AND action IN ('status','evaluated')"),
                        try int("SELECT max(at_unix) \(q) AND to_status = 'dispatched' AND action IN ('status','evaluated')"),
                        try db.scalarInt("SELECT max(at_unix) \(q) AND to_status = 'resolved' AND action IN ('status','handled')"))
            }
            let ta = try times(a), tb = try times(b), tc = try times(c)
            let toDispatch = [ta, tb, tc].map { Double($0.first - $0.found) }
            let toHandle = [ta, tb].map { Double($0.handled! - $0.last) }
            let onTime = [ta, tb].filter { $0.first - $0.found <= 7200 && $0.handled! - $0.last <= 86400 }.count
            #expect(onTime == 1)  // b was dispatched 3 h after it was found
            // The evaluation kept the same judgement.
            #expect(try int("SELECT on_time FROM case_evaluations WHERE case_id = '\(a)' AND verdict = 'proper'") == 1)
            #expect(try int("SELECT on_time FROM case_evaluations WHERE case_id = '\(b)' AND verdict = 'proper'") == 0)
            let sentBack = try int("SELECT count(*) FROM case_events WHERE case_id IN ('\(a)','\(b)','\(c)') AND from_status = 'resolved' AND to_status = 'dispatched'")
            #expect(sentBack == 1)
            let offset = try int("SELECT utc_offset_s FROM runs ORDER BY id DESC LIMIT 1")
            // The Monday on or before the local day it was first dispatched (1970-01-01 was a Thursday).
            let day = (ta.first + offset).quotientAndRemainder(dividingBy: 86400).quotient
            let monday = Date(timeIntervalSince1970: Double((day - (day + 3) % 7) * 86400))
            var utc = Calendar(identifier: .gregorian)
            utc.timeZone = TimeZone(identifier: "UTC")!
            let m = utc.dateComponents([.year, .month, .day], from: monday)
            let week = String(format: "%04d-%02d-%02d", m.year!, m.month!, m.day!)
            let stats = try await li.get(client, "/stats")
            let expectedRow = "<td>city_management</td><td>\(week)</td><td class=\"n\">3</td><td class=\"n\">2</td>"
                + "<td class=\"n\">\(String(format: "%.1f h", toDispatch.reduce(0, +) / 3 / 3600))</td>"
                + "<td class=\"n\">\(String(format: "%.1f h", toHandle.reduce(0, +) / 2 / 3600))</td>"
                + "<td class=\"n\">50.0 %</td><td class=\"n\">1</td>"
            #expect(stats.text.contains(expectedRow), "\(stats.text.components(separatedBy: "handling-table").last!.prefix(900))")

            // Overdue now: open cases found more than 2 h ago and dispatched ones waiting more than 24 h, by SQL.
            let now = world.clock.now
            let overdueSQL = """
                SELECT count(*) FROM cases c WHERE c.superseded = 0 AND (
                  (c.status = 'open' AND (SELECT min(at_unix) FROM case_events e WHERE e.case_id = c.case_id AND e.action = 'created') + 7200 < \(now))
                  OR (c.status = 'dispatched' AND (SELECT max(at_unix) FROM case_events e WHERE e.case_id = c.case_id AND e.to_status = 'dispatched' AND e.action IN ('status','evaluated')) + 86400 < \(now)))
                """
            let overdue = try int(overdueSQL)
            let cityOverdue = try int(overdueSQL + " AND EXISTS (SELECT 1 FROM case_departments d WHERE d.case_id = c.case_id AND d.department = 'city_management')")
            let page = try await li.get(client, "/overdue")
            #expect(page.text.contains("\(overdue) past a deadline"))
            #expect(page.text.contains("<span>city_management</span><b>\(cityOverdue)</b>"))
            #expect(page.text.contains("handling 处置"))  // c
            let statsNow = try await li.get(client, "/stats")
            #expect(statsNow.text.contains("<span>overdue now 当前超时</span><b>\(overdue)</b>"))
            // The list marks c overdue for its officer.
            let list = try await wang.get(client, "/cases?status=dispatched")
            #expect(list.text.contains("handling overdue"))
        }
    }

    @Test("My cases: the officer's dispatched cases oldest first, with the dump point for the map app; not another department's", arguments: StoreBackend.allCases)
    func myCases(backend: StoreBackend) async throws {
        let world = try await ReviewWorld.make(backend)
        defer { world.cleanup() }
        try world.startClock()
        let ids = try cityCases(world)
        try await world.app().test(.router) { client in
            var wang = Browser(), zhao = Browser()
            try await wang.login(client, "wang")
            for id in [ids[1], ids[0]] {
                try await wang.get(client, "/cases/\(id)")
                try await wang.post(client, "/cases/\(id)/status", ["to": "dispatched"])
                world.clock.advance(120)
            }
            let my = try await wang.get(client, "/my")
            #expect(my.status == .ok)
            let first = my.text.range(of: "id=\"my-\(ids[1])\"")!, second = my.text.range(of: "id=\"my-\(ids[0])\"")!
            #expect(first.lowerBound < second.lowerBound)
            #expect(my.text.contains("2 dispatched to city_management"))
            #expect(my.text.contains("href=\"geo:"))
            #expect(my.text.contains("coordinate=wgs84"))
            #expect(my.text.contains("<script src=\"/static/near.js\" defer></script>"))
            try await zhao.login(client, "zhao")
            let theirs = try await zhao.get(client, "/my")
            #expect(!theirs.text.contains(ids[0]) && !theirs.text.contains(ids[1]))
            let script = try await wang.get(client, "/static/near.js")
            #expect(script.headers[.contentType] == "text/javascript; charset=utf-8")
            #expect(script.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
        }
    }
}

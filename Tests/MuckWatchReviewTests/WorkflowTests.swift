import Hummingbird
import HummingbirdTesting
import MuckWatchCore
import MuckWatchStore
import Testing
import MuckWatchTestSupport
import Foundation

@Suite("Review app: workflow and audit trail")
struct WorkflowTests {
    @Test("Every transition through the app lands in the store with its audit row (who, from, to, note)", arguments: StoreBackend.allCases)
    func everyTransition(backend: StoreBackend) async throws {
        let world = try await ReviewWorld.make(backend)
        defer { world.cleanup() }
        let c = try world.caseRouted(to: "city_management")
        let steps: [(Case.Status, String?)] = [
            (.dispatched, "sent to the city team"), (.resolved, nil), (.closed, "fined"), (.open, "new evidence"),
            (.dismissed, "plate misread"), (.open, nil), (.dispatched, nil), (.dismissed, "duplicate of another case"),
            (.closed, nil),
        ]
        try await world.app().test(.router) { client in
            var b = Browser()
            try await b.login(client, "wang")
            for (to, note) in steps {
                try await b.get(client, "/cases/\(c.caseID)")
                var fields = ["to": to.rawValue]
                if let note { fields["note"] = note }
                let r = try await b.post(client, "/cases/\(c.caseID)/status", fields)
                #expect(r.status == .seeOther, "\(to)")
            }
            let page = try await b.get(client, "/cases/\(c.caseID)")
            #expect(page.text.contains("duplicate of another case"))
        }
        let events = try world.store().events(caseID: c.caseID).filter { $0.action == "status" }
        #expect(events.count == steps.count)
        var from = Case.Status.open
        for (e, (to, note)) in zip(events, steps) {
            #expect(e.actor == "wang")
            #expect(e.fromStatus == from)
            #expect(e.toStatus == to)
            #expect(e.note == note)
            from = to
        }
    }

    @Test("A dismissal needs a reason; a step the workflow does not allow is refused with the allowed ones", arguments: StoreBackend.allCases)
    func refusals(backend: StoreBackend) async throws {
        let world = try await ReviewWorld.make(backend)
        defer { world.cleanup() }
        let c = try world.caseRouted(to: "city_management")
        try await world.app().test(.router) { client in
            var b = Browser()
            try await b.login(client, "wang")
            try await b.get(client, "/cases/\(c.caseID)")
            let noReason = try await b.post(client, "/cases/\(c.caseID)/status", ["to": "dismissed", "note": "   "])
            #expect(noReason.status == .badRequest)
            #expect(noReason.text.contains("A dismissal needs a reason"))
            let skip = try await b.post(client, "/cases/\(c.caseID)/status", ["to": "closed"])
            #expect(skip.status == .conflict)
            #expect(skip.text.contains("allowed: dispatched, dismissed"))
            let junk = try await b.post(client, "/cases/\(c.caseID)/status", ["to": "deleted"])
            #expect(junk.status == .badRequest)
        }
        #expect(try world.store().loadCase(id: c.caseID)?.status == .open)
        #expect(try world.store().events(caseID: c.caseID).allSatisfy { $0.action != "status" })
    }

    @Test("Notes are shown as text, never as markup", arguments: StoreBackend.allCases)
    func xss(backend: StoreBackend) async throws {
        let world = try await ReviewWorld.make(backend)
        defer { world.cleanup() }
        let c = try world.caseRouted(to: "city_management")
        let payload = #"<script>alert("x")</script><img src=x onerror=alert(1)>"#
        try await world.app().test(.router) { client in
            var b = Browser()
            try await b.login(client, "wang")
            try await b.get(client, "/cases/\(c.caseID)")
            try await b.post(client, "/cases/\(c.caseID)/status", ["to": "dismissed", "note": payload])
            let page = try await b.get(client, "/cases/\(c.caseID)")
            #expect(!page.text.contains("<script>"))
            #expect(!page.text.contains("<img src=x"))
            #expect(page.text.contains("&lt;script&gt;"))
        }
        #expect(try world.store().events(caseID: c.caseID).last?.note == payload)
    }

    @Test("Case pages show the chain, the map, the timeline, the evidence, the facts and the audit trail", arguments: StoreBackend.allCases)
    func detail(backend: StoreBackend) async throws {
        let world = try await ReviewWorld.make(backend)
        defer { world.cleanup() }
        let store = try world.store()
        let c = try store.listCases(CaseFilter(type: .unapprovedDisposal)).first!
        let stored = try store.loadCase(id: c.caseID)!
        try await world.app().test(.router) { client in
            var b = Browser()
            try await b.login(client, "li")
            let page = try await b.get(client, "/cases/\(c.caseID)")
            let html = page.text
            #expect(html.contains(#"<svg xmlns="http://www.w3.org/2000/svg""#))
            #expect(html.contains(#"class="loaded""#))
            #expect(html.contains(#"id="dump-point""#))
            #expect(html.contains("Source 出土工地") && html.contains("Dump 倾倒"))
            #expect(html.contains(stored.trip!.sourceSite!))
            #expect(html.contains("unapproved disposal"))
            #expect(html.contains(stored.violations[0].detail.replacingOccurrences(of: "'", with: "&#39;")))
            #expect(html.contains(#"id="vehicle""#) && html.contains(stored.vehicleID))
            #expect(html.contains("created"))
            let missing = try await b.get(client, "/cases/C-20000101-DEADBEEF")
            #expect(missing.status == .notFound)
        }
    }
}

@Suite("Review app: live store")
struct LiveStoreTests {
    @Test("A change written by another process while the app runs shows on the next page load", arguments: StoreBackend.allCases)
    func reload(backend: StoreBackend) async throws {
        let world = try await ReviewWorld.make(backend)
        defer { world.cleanup() }
        let c = try world.caseRouted(to: "city_management")
        try await world.app().test(.router) { client in
            var b = Browser()
            try await b.login(client, "li")
            let before = try await b.get(client, "/cases?status=dispatched")
            #expect(!CaseListTests.ids(before.text).contains(c.caseID))
            // The CLI (its own connection) dispatches the case while the app is up.
            try world.store().setStatus(caseID: c.caseID, to: .dispatched, actor: "cli", note: nil)
            let after = try await b.get(client, "/cases?status=dispatched")
            #expect(CaseListTests.ids(after.text).contains(c.caseID))
        }
    }
}

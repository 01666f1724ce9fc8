import Hummingbird
import HummingbirdTesting
import MuckWatchCore
import MuckWatchStore
import Testing
import MuckWatchTestSupport

@Suite("Review app: roles and CSRF")
struct AccessTests {
    @Test("An officer sees only their department's cases and cannot open or change another's", arguments: StoreBackend.allCases)
    func officerDepartments(backend: StoreBackend) async throws {
        let world = try await ReviewWorld.make(backend)
        defer { world.cleanup() }
        let theirs = try world.caseRouted(to: "city_management")
        let other = try world.caseRouted(to: "traffic_police", notTo: "city_management")
        try await world.app().test(.router) { client in
            var b = Browser()
            try await b.login(client, "wang")
            let list = try await b.get(client, "/cases")
            #expect(list.text.contains(theirs.caseID))
            #expect(!list.text.contains(other.caseID))
            // Asking for the other department by filter does not widen the view.
            let sneaky = try await b.get(client, "/cases?department=traffic_police")
            #expect(!sneaky.text.contains(other.caseID))
            #expect(try await b.get(client, "/cases/\(theirs.caseID)").status == .ok)
            let forbidden = try await b.get(client, "/cases/\(other.caseID)")
            #expect(forbidden.status == .forbidden)
            #expect(forbidden.text.contains("not to your department"))
            try await b.get(client, "/cases/\(theirs.caseID)")
            let change = try await b.post(client, "/cases/\(other.caseID)/status", ["to": "dispatched"])
            #expect(change.status == .forbidden)
        }
        #expect(try world.store().loadCase(id: other.caseID)?.status == .open)
    }

    @Test("A supervisor sees and works every department's cases", arguments: StoreBackend.allCases)
    func supervisor(backend: StoreBackend) async throws {
        let world = try await ReviewWorld.make(backend)
        defer { world.cleanup() }
        let other = try world.caseRouted(to: "traffic_police", notTo: "city_management")
        try await world.app().test(.router) { client in
            var b = Browser()
            try await b.login(client, "li")
            #expect(try await b.get(client, "/cases/\(other.caseID)").status == .ok)
            let r = try await b.post(client, "/cases/\(other.caseID)/status", ["to": "dispatched"])
            #expect(r.status == .seeOther)
        }
        #expect(try world.store().loadCase(id: other.caseID)?.status == .dispatched)
    }

    @Test("An auditor reads everything and changes nothing (no buttons, posts refused, no audit row)", arguments: StoreBackend.allCases)
    func auditor(backend: StoreBackend) async throws {
        let world = try await ReviewWorld.make(backend)
        defer { world.cleanup() }
        let c = try world.caseRouted(to: "city_management")
        let before = try world.store().events(caseID: c.caseID).count
        try await world.app().test(.router) { client in
            var b = Browser()
            try await b.login(client, "chen")
            let page = try await b.get(client, "/cases/\(c.caseID)")
            #expect(page.status == .ok)
            #expect(!page.text.contains("/status\""))
            #expect(page.text.contains("Auditors read cases"))
            let r = try await b.post(client, "/cases/\(c.caseID)/status", ["to": "dismissed", "note": "audit"])
            #expect(r.status == .forbidden)
        }
        let store = try world.store()
        #expect(try store.loadCase(id: c.caseID)?.status == .open)
        #expect(try store.events(caseID: c.caseID).count == before)
    }

    @Test("A form without the session's CSRF token is refused and changes nothing", arguments: StoreBackend.allCases)
    func csrf(backend: StoreBackend) async throws {
        let world = try await ReviewWorld.make(backend)
        defer { world.cleanup() }
        let c = try world.caseRouted(to: "city_management")
        try await world.app().test(.router) { client in
            var b = Browser()
            try await b.login(client, "wang")
            for token in ["", "0000", String(repeating: "a", count: 64)] {
                let r = try await b.post(client, "/cases/\(c.caseID)/status", ["to": "dispatched"], csrf: token)
                #expect(r.status == .forbidden)
            }
            var other = Browser()
            try await other.login(client, "li")
            // Another session's token is not this session's.
            let r = try await b.post(client, "/cases/\(c.caseID)/status", ["to": "dispatched"], csrf: other.csrf)
            #expect(r.status == .forbidden)
        }
        #expect(try world.store().loadCase(id: c.caseID)?.status == .open)
    }
}

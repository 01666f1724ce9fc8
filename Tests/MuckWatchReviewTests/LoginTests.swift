import Hummingbird
import HummingbirdTesting
import MuckWatchStore
import Testing
import MuckWatchTestSupport
import MuckWatchCore

@Suite("Review app: login and sessions")
struct LoginTests {
    @Test("No page works without login: pages redirect to the form, posts are refused", arguments: StoreBackend.allCases)
    func anonymous(backend: StoreBackend) async throws {
        let world = try await ReviewWorld.make(backend)
        defer { world.cleanup() }
        let id = try world.caseRouted(to: "city_management").caseID
        try await world.app().test(.router) { client in
            var b = Browser()
            for uri in ["/cases", "/cases/\(id)", "/stats", "/"] {
                let r = try await b.get(client, uri)
                #expect(r.status == .seeOther, "\(uri)")
                #expect(r.headers[.location]?.hasPrefix("/login") == true, "\(uri)")
            }
            let post = try await b.post(client, "/cases/\(id)/status", ["to": "dismissed", "note": "x"], csrf: "0")
            #expect(post.status == .unauthorized)
            let page = try await b.get(client, "/login")
            #expect(page.status == .ok)
            #expect(page.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
        }
        #expect(try world.store().loadCase(id: id)?.status == .open)
    }

    @Test("A right password opens a session in an HttpOnly, SameSite=Strict cookie; logout ends it", arguments: StoreBackend.allCases)
    func loginAndLogout(backend: StoreBackend) async throws {
        let world = try await ReviewWorld.make(backend)
        defer { world.cleanup() }
        try await world.app().test(.router) { client in
            var b = Browser()
            try await b.get(client, "/login")
            let r = try await b.post(client, "/login", ["user": "wang", "password": "wang-officer-1", "next": "/stats"])
            #expect(r.status == .seeOther)
            #expect(r.headers[.location] == "/stats")
            let cookie = r.headers[values: .setCookie].first { $0.hasPrefix("mw_session=") } ?? ""
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
            let list = try await b.get(client, "/cases")
            #expect(list.status == .ok)
            #expect(list.text.contains("wang · officer"))
            let out = try await b.post(client, "/logout", [:])
            #expect(out.status == .seeOther)
            let after = try await b.get(client, "/cases")
            #expect(after.status == .seeOther)
        }
    }

    @Test("Wrong passwords and unknown users are refused alike; after 5 failures even the right one is refused", arguments: StoreBackend.allCases)
    func bruteForce(backend: StoreBackend) async throws {
        let world = try await ReviewWorld.make(backend)
        defer { world.cleanup() }
        try await world.app().test(.router) { client in
            var b = Browser()
            let unknown = try await b.login(client, "nobody", password: "whatever-1")
            #expect(unknown.status == .unauthorized)
            #expect(unknown.text.contains("Wrong user name or password"))
            for _ in 0..<5 {
                let r = try await b.login(client, "wang", password: "guess-guess")
                #expect(r.status == .unauthorized)
            }
            let locked = try await b.login(client, "wang")
            #expect(locked.status == .tooManyRequests)
            #expect(locked.text.contains("Too many failed logins"))
            world.clock.advance(16 * 60)
            let again = try await b.login(client, "wang")
            #expect(again.status == .seeOther)
        }
    }

    @Test("The login form must come from this app (its token matches the cookie set with it)", arguments: StoreBackend.allCases)
    func loginCSRF(backend: StoreBackend) async throws {
        let world = try await ReviewWorld.make(backend)
        defer { world.cleanup() }
        try await world.app().test(.router) { client in
            var b = Browser()
            let r = try await b.post(client, "/login", ["user": "wang", "password": "wang-officer-1"], csrf: "forged")
            #expect(r.status == .forbidden)
            #expect(b.cookies["mw_session"] == nil)
        }
    }

    @Test("Sessions expire; an expired cookie is sent back to the login form", arguments: StoreBackend.allCases)
    func expiry(backend: StoreBackend) async throws {
        let world = try await ReviewWorld.make(backend)
        defer { world.cleanup() }
        try await world.app().test(.router) { client in
            var b = Browser()
            try await b.login(client, "li")
            #expect(try await b.get(client, "/cases").status == .ok)
            world.clock.advance(13 * 3600)
            #expect(try await b.get(client, "/cases").status == .seeOther)
        }
    }

    @Test("A redirect after login never leaves the app", arguments: StoreBackend.allCases)
    func openRedirect(backend: StoreBackend) async throws {
        let world = try await ReviewWorld.make(backend)
        defer { world.cleanup() }
        try await world.app().test(.router) { client in
            var b = Browser()
            try await b.get(client, "/login")
            let r = try await b.post(client, "/login", ["user": "li", "password": "li-supervisor-1",
                                                        "next": "//evil.example/x"])
            #expect(r.headers[.location] == "/cases")
        }
    }
}

@Suite("Review app: hostile login fields")
struct HostileLoginTests {
    @Test("Injection and markup in the login fields are refused as wrong credentials and echoed escaped", arguments: StoreBackend.allCases)
    func hostileLogin(backend: StoreBackend) async throws {
        let world = try await ReviewWorld.make(backend)
        defer { world.cleanup() }
        try await world.app().test(.router) { client in
            var b = Browser()
            for name in ["' OR '1'='1", "wang'--", #"<script>alert(1)</script>"#, "wang\"><img src=x onerror=alert(1)>"] {
                let r = try await b.login(client, name, password: "' OR '1'='1")
                #expect(r.status == .unauthorized, "\(name)")
                #expect(!r.text.contains("<script>alert") && !r.text.contains("<img src=x"), "\(name)")
                #expect(b.cookies["mw_session"] == nil)
            }
            // Over-long fields are refused without a password check.
            let long = try await b.login(client, String(repeating: "a", count: 500), password: "x")
            #expect(long.status == .badRequest)
        }
        #expect(try world.store().users().count == 4)
    }
}

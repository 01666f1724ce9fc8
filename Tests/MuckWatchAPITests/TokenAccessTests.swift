import Foundation
import Hummingbird
import HummingbirdTesting
import MuckWatchAPI
import MuckWatchCore
import MuckWatchStore
import MuckWatchTestSupport
import Testing

/// Bearer tokens: no token or a bad one is 401, beyond the scope or the departments 403, and the
/// web app's own routes keep their session login.
@Suite("API tokens: scopes and departments")
struct TokenAccessTests {
    static let operations: [(HTTPRequest.Method, String)] = [
        (.get, "/api/v1/cases"), (.get, "/api/v1/cases/C-1"), (.post, "/api/v1/cases/C-1/transitions"),
        (.get, "/api/v1/trips"), (.get, "/api/v1/statistics"), (.post, "/api/v1/manifests"),
        (.post, "/api/v1/gate-events"), (.post, "/api/v1/camera-events"),
    ]

    @Test(arguments: StoreBackend.allCases, [false, true])
    func withoutALiveTokenEveryOperationIs401(backend: StoreBackend, live: Bool) async throws {
        let world = try await APIWorld.make(backend)
        defer { world.cleanup() }
        try await world.test(live: live) { client in
            for (method, path) in Self.operations {
                for token in [nil, "not-a-token", "gone"] {
                    let r = try await client.execute(uri: path, method: method, headers: world.headers(token, json: true),
                                                     body: ByteBuffer(string: "[]"))
                    #expect(r.status == .unauthorized, "\(method) \(path) with \(token ?? "no token")")
                    #expect(r.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
                    let body = try json(r)
                    #expect(body["field"] as? String == "Authorization")
                }
            }
        }
    }

    @Test(arguments: StoreBackend.allCases, [false, true])
    func beyondItsScopeATokenIs403(backend: StoreBackend, live: Bool) async throws {
        let world = try await APIWorld.make(backend)
        defer { world.cleanup() }
        let caseID = try #require(try world.store().listCases(CaseFilter(), limit: 1).first?.caseID)
        try await world.test(live: live) { client in
            // ingest reads nothing; read moves nothing and ingests nothing; dispatch ingests nothing.
            let refused: [(String, HTTPRequest.Method, String)] = [
                ("gates", .get, "/api/v1/cases"), ("gates", .get, "/api/v1/cases/\(caseID)"), ("gates", .get, "/api/v1/trips"),
                ("gates", .get, "/api/v1/statistics"), ("reader", .post, "/api/v1/cases/\(caseID)/transitions"),
                ("reader", .post, "/api/v1/manifests"), ("ops", .post, "/api/v1/gate-events"),
                ("ops", .post, "/api/v1/camera-events"), ("gates", .post, "/api/v1/cases/\(caseID)/transitions"),
            ]
            for (token, method, path) in refused {
                let body = method == .post && path.hasSuffix("transitions") ? #"{"to":"dispatched"}"# : "[]"
                let r = try await client.execute(uri: path, method: method, headers: world.headers(token, json: true),
                                                 body: ByteBuffer(string: body))
                #expect(r.status == .forbidden, "\(token) \(method) \(path)")
                #expect((try json(r)["error"] as? String)?.contains("scope") == true)
            }
            // dispatch includes read.
            try await client.execute(uri: "/api/v1/cases/\(caseID)", method: .get, headers: world.headers("ops")) {
                #expect($0.status == .ok)
            }
        }
        #expect(try world.store().loadCase(id: caseID)?.status == .open)
    }

    @Test(arguments: StoreBackend.allCases, [false, true])
    func aDepartmentTokenSeesAndMovesOnlyItsDepartmentsCases(backend: StoreBackend, live: Bool) async throws {
        let world = try await APIWorld.make(backend)
        defer { world.cleanup() }
        let store = try world.store()
        let all = try store.listCases(CaseFilter())
        let mine = all.filter { $0.departments.contains("city_management") }
        let other = try #require(all.first { !$0.departments.contains("city_management") })
        #expect(!mine.isEmpty)
        try await world.test(live: live) { client in
            let listed = try await allPages(client, "/api/v1/cases?limit=500", headers: world.headers("cm"))
            #expect(listed == mine.map(\.caseID))
            for (method, path) in [(HTTPRequest.Method.get, "/api/v1/cases/\(other.caseID)"),
                                   (.post, "/api/v1/cases/\(other.caseID)/transitions")] {
                let r = try await client.execute(uri: path, method: method, headers: world.headers("cm", json: true),
                                                 body: ByteBuffer(string: #"{"to":"dispatched","note":"x"}"#))
                #expect(r.status == .forbidden)
                #expect(try json(r)["field"] as? String == "id")
            }
            try await client.execute(uri: "/api/v1/statistics", method: .get, headers: world.headers("cm")) {
                #expect($0.status == .forbidden)
            }
            // Its trips are those of its cases.
            let trips = try await client.execute(uri: "/api/v1/trips?limit=500", method: .get, headers: world.headers("cm"))
            let caseIDs = Set(mine.map(\.caseID))
            for t in try json(trips)["trips"] as! [[String: Any]] { #expect(caseIDs.contains(t["case_id"] as? String ?? "")) }
        }
        #expect(try store.loadCase(id: other.caseID)?.status == .open)
        #expect(try store.events(caseID: other.caseID).allSatisfy { !$0.actor.hasPrefix("token:") })
    }

    @Test(arguments: StoreBackend.allCases) func theWebAppStillAsksForItsLogin(backend: StoreBackend) async throws {
        let world = try await APIWorld.make(backend)
        defer { world.cleanup() }
        try await world.test(live: false) { client in
            // A Bearer token opens nothing of the web app.
            try await client.execute(uri: "/cases", method: .get, headers: world.headers("ops")) {
                #expect($0.status == .seeOther || $0.status == .found)
            }
        }
    }

    @Test(arguments: StoreBackend.allCases) func onlyTheHashIsStoredAndARevokedNameIsFreeAgain(backend: StoreBackend) async throws {
        let world = try await APIWorld.make(backend)
        defer { world.cleanup() }
        let store = try world.store()
        let secret = try #require(world.tokens["reader"])
        #expect(try store.token(hash: TokenSecret.hash(secret))?.name == "reader")
        #expect(try store.token(hash: secret) == nil)
        #expect(try store.token(hash: TokenSecret.hash(try #require(world.tokens["gone"]))) == nil)
        #expect(try !store.addToken(APIToken(name: "reader", scope: .read, departments: []), hash: "x"))
        #expect(try store.addToken(APIToken(name: "gone", scope: .ingest, departments: []), hash: "y"))
        let listed = try store.tokens().map { "\($0.name):\($0.scope.rawValue):\($0.revokedUnix == nil)" }
        #expect(listed == ["cm:dispatch:true", "gates:ingest:true", "gone:ingest:true", "ops:dispatch:true", "reader:read:true"])
        #expect(try store.tokens().first { $0.name == "cm" }?.departments == ["city_management"])
    }
}

/// Follows `next_cursor` from `path` to the last page; the case ids in order.
func allPages(_ client: any TestClientProtocol, _ path: String, headers: HTTPFields) async throws -> [String] {
    var ids: [String] = []
    var cursor: String?
    repeat {
        let uri = path + (cursor.map { (path.contains("?") ? "&" : "?") + "cursor=" + $0 } ?? "")
        let r = try await client.execute(uri: uri, method: .get, headers: headers)
        guard r.status == .ok else { throw APITestError("\(uri): \(r.status) \(r.text)") }
        let page = try json(r)
        ids += (page["cases"] as! [[String: Any]]).map { $0["case_id"] as! String }
        cursor = page["next_cursor"] as? String
    } while cursor != nil
    return ids
}

import Foundation
import Hummingbird
import HummingbirdTesting
import MuckWatchCore
import MuckWatchStore
import MuckWatchTestSupport
import Testing

/// The served document against the router `serve` runs: every API route documented, every
/// documented operation answered (never 404), and every operation with examples.
@Suite("API: the OpenAPI document")
struct OpenAPIDocumentTests {
    /// The served document: `(method, path)` of each operation, and the operations themselves.
    static func operations(_ document: [String: Any]) -> [(method: String, path: String, operation: [String: Any])] {
        var out: [(String, String, [String: Any])] = []
        for (path, item) in document["paths"] as! [String: [String: Any]] {
            for (method, op) in item where ["get", "post", "put", "patch", "delete"].contains(method) {
                out.append((method.uppercased(), path, op as! [String: Any]))
            }
        }
        return out.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
    }

    @Test(arguments: StoreBackend.allCases, [false, true])
    func everyRouteIsDocumentedAndEveryDocumentedRouteAnswers(backend: StoreBackend, live: Bool) async throws {
        let world = try await APIWorld.make(backend)
        defer { world.cleanup() }
        let router = try world.router()
        let caseID = try #require(try world.store().listCases(CaseFilter(status: .open), limit: 1).first?.caseID)
        let servedData = try await world.test(live: live) { client in
            let r = try await client.execute(uri: "/api/openapi.json", method: .get)
            #expect(r.status == .ok)
            #expect(r.headers[.contentType]?.hasPrefix("application/json") == true)
            return Data(r.body.readableBytesView)
        }
        let served = try #require(try JSONSerialization.jsonObject(with: servedData) as? [String: Any])
        #expect((served["openapi"] as? String)?.hasPrefix("3.1") == true)
        let documented = Set(Self.operations(served).map { "\($0.method) \($0.path)" })
        // The router's API routes, in the document's path syntax (`:id` → `{id}`).
        let routes = Set(router.routes.map { route in
            let path = route.path.description.split(separator: "/").map { part in
                part.hasPrefix(":") ? "{" + part.dropFirst() + "}" : String(part)
            }.joined(separator: "/")
            return "\(route.method) /" + path
        }.filter { $0.contains(" /api/") })
        #expect(!routes.isEmpty)
        #expect(routes == documented, "undocumented: \(routes.subtracting(documented)); not routed: \(documented.subtracting(routes))")

        // Each documented operation, called with its request example, is answered by its handler.
        let calls = Self.operations(served).map { method, path, op in
            let content = (op["requestBody"] as? [String: Any])?["content"] as? [String: [String: Any]]
            let example = content?["application/json"]?["example"].map { canonical($0) }
            return (method, path, example, Set((op["responses"] as! [String: Any]).keys))
        }
        try await world.test(live: live) { client in
            for (method, path, example, statuses) in calls {
                let uri = path.replacingOccurrences(of: "{id}", with: caseID)
                let token = path.contains("manifests") || path.contains("events") ? "gates" : "ops"
                let r = try await client.execute(uri: uri, method: HTTPRequest.Method(rawValue: method)!,
                                                 headers: world.headers(token, json: example != nil),
                                                 body: example.map { ByteBuffer(bytes: Array($0)) })
                #expect(r.status == .ok, "\(method) \(path): \(r.status) \(r.text.prefix(300))")
                #expect(statuses.contains(String(r.status.code)))
            }
        }
    }

    @Test(arguments: StoreBackend.allCases) func everyOperationHasExamples(backend: StoreBackend) async throws {
        let world = try await APIWorld.make(backend)
        defer { world.cleanup() }
        let data = try await world.test(live: false) { client in
            Data(try await client.execute(uri: "/api/openapi.json", method: .get).body.readableBytesView)
        }
        let served = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        for (method, path, op) in Self.operations(served) {
            #expect(op["operationId"] is String, "\(method) \(path)")
            for (status, response) in op["responses"] as! [String: [String: Any]] {
                for (type, media) in response["content"] as? [String: [String: Any]] ?? [:] {
                    #expect(media["example"] != nil || media["examples"] != nil, "\(method) \(path) \(status) \(type)")
                }
            }
            if let request = op["requestBody"] as? [String: Any] {
                for (type, media) in request["content"] as! [String: [String: Any]] {
                    #expect(media["example"] != nil || media["examples"] != nil, "\(method) \(path) request \(type)")
                }
            }
            for parameter in op["parameters"] as? [[String: Any]] ?? [] {
                #expect(parameter["example"] != nil, "\(method) \(path) parameter \(parameter["name"] ?? "?")")
            }
        }
    }
}

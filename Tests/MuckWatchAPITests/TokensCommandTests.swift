import Foundation
import Hummingbird
import HummingbirdTesting
import MuckWatchAPI
import MuckWatchStore
import MuckWatchTestSupport
import Testing

/// `muckwatch tokens add | list | revoke`, run as the built binary against a store the API serves.
@Suite("muckwatch tokens")
struct TokensCommandTests {
    static func run(_ arguments: [String]) throws -> (status: Int32, out: String) {
        try BuiltBinary.run(BuiltBinary.path!, arguments)
    }

    @Test(.enabled(if: BuiltBinary.path != nil, "the muckwatch binary is not built"), arguments: StoreBackend.allCases)
    func theLastLineIsATokenThatWorksUntilRevoked(backend: StoreBackend) async throws {
        let world = try await APIWorld.make(backend)
        defer { world.cleanup() }
        let added = try Self.run(["tokens", "add", "cm-system", "--scope", "dispatch", "--department", "city_management",
                                  "--db", world.db])
        #expect(added.status == 0)
        let token = try #require(added.out.split(separator: "\n").last.map(String.init))
        #expect(token.hasPrefix("mw_") && token.count == 67)
        // Only its hash is stored: not in the file's bytes, not in any column of a server's rows.
        switch backend {
        case .sqlite:
            let raw = try Data(contentsOf: URL(fileURLWithPath: world.db))
            #expect(raw.range(of: Data(token.utf8)) == nil)
        case .postgres:
            let db = try Database(try StoreLocation(parsing: world.db))
            #expect(try db.scalarInt("SELECT count(*) FROM api_tokens") == 6)
            for table in ["api_tokens", "api_token_departments"] {
                #expect(try db.scalarInt("SELECT count(*) FROM \(table) t WHERE t::text LIKE '%\(token)%'") == 0)
            }
        }
        #expect(try world.store().token(hash: TokenSecret.hash(token))?.departments == ["city_management"])
        // A second token of the same name is refused; an ingest token takes no department.
        #expect(try Self.run(["tokens", "add", "cm-system", "--scope", "read", "--db", world.db]).status != 0)
        #expect(try Self.run(["tokens", "add", "g", "--scope", "ingest", "--department", "x", "--db", world.db]).status != 0)
        let listed = try Self.run(["tokens", "list", "--db", world.db]).out
        #expect(listed.contains("cm-system\tdispatch\tcity_management\tcreated ") && !listed.contains(token))

        let headers: HTTPFields = [.authorization: "Bearer " + token]
        try await world.test(live: false) { client in
            try await client.execute(uri: "/api/v1/cases", method: .get, headers: headers) { #expect($0.status == .ok) }
        }
        #expect(try Self.run(["tokens", "revoke", "cm-system", "--db", world.db]).status == 0)
        #expect(try Self.run(["tokens", "revoke", "cm-system", "--db", world.db]).status != 0)
        try await world.test(live: false) { client in
            try await client.execute(uri: "/api/v1/cases", method: .get, headers: headers) { #expect($0.status == .unauthorized) }
        }
    }
}

import Foundation
import MuckWatchCore
import Testing
import MuckWatchTestSupport
@testable import MuckWatchStore

/// Issue #20's migration: the token tables on a fresh store and on one of the previous version.
@Suite struct APITokenStoreTests {
    @Test(arguments: StoreBackend.allCases) func theLatestVersionHasTheTokenTables(backend: StoreBackend) throws {
        let path = NSTemporaryDirectory() + "muckwatch-tokens-" + UUID().uuidString + ".sqlite"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try CaseStore(path: path)
        #expect(try store.schemaVersion() == Schema.currentVersion)
        for table in ["api_tokens", "api_token_departments", "api_ingestions"] {
            #expect(try store.db.scalarInt("SELECT count(*) FROM sqlite_master WHERE name = '\(table)'") == 1, "\(table)")
        }
        #expect(try store.addToken(APIToken(name: "a", scope: .dispatch, departments: ["housing", "traffic_police"]),
                                   hash: "h1"))
        #expect(try store.token(hash: "h1")?.departments == ["housing", "traffic_police"])
        #expect(try store.revokeToken(name: "a"))
        #expect(try !store.revokeToken(name: "a"))
        #expect(try store.token(hash: "h1") == nil)
        #expect(try store.tokens().first?.revokedUnix != nil)
    }

    @Test func scopes() {
        #expect(TokenScope.dispatch.allows(.read))
        #expect(!TokenScope.read.allows(.dispatch))
        #expect(!TokenScope.ingest.allows(.read) && !TokenScope.dispatch.allows(.ingest) && !TokenScope.read.allows(.ingest))
    }
}

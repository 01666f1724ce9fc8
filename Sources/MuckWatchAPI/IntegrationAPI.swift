import Foundation
public import Hummingbird
import OpenAPIHummingbird
import OpenAPIRuntime

/// The integration API (issue #20, docs/api.md): cases, trips and statistics for
/// departments' systems, ingestion for the platforms that make records. Its routes are the
/// stubs generated from `openapi.json` (spec first: an operation exists because the document
/// says so), served beside the web app by `muckwatch serve`, authenticated by Bearer tokens only.
public enum IntegrationAPI {
    /// Where the document is served, without a token.
    public static let documentPath = "/api/openapi.json"

    /// Adds every operation of the document to `router`, behind `BearerTokenMiddleware`.
    public static func add<Context: RequestContext>(to router: Router<Context>, store: APIStore) throws {
        let api = router.group().add(middleware: BearerTokenMiddleware<Context>(store: store, open: [documentPath]))
        try APIHandler(store: store).registerHandlers(on: api, serverURL: URL(string: "/")!)
    }

    /// The OpenAPI 3.1 document the stubs were generated from (the same file).
    static let document: Data = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
              let data = try? Data(contentsOf: url) else {
            fatalError("openapi.json is missing from the MuckWatchAPI bundle: the package's resources were not copied")
        }
        return data
    }()
}

import Hummingbird
import MuckWatchStore

/// The token a request came with, for the handlers the generated stubs call (they see only
/// their operation's input): `BearerTokenMiddleware` sets it around each request.
enum APICaller {
    @TaskLocal static var token: APIToken?

    /// The caller's token when its scope allows `scope`; otherwise a 403 saying what is needed.
    static func require(_ scope: TokenScope) throws(APIProblem) -> APIToken {
        guard let token else {
            throw APIProblem(status: .unauthorized, message: "missing bearer token", field: nil)
        }
        guard token.scope.allows(scope) else {
            throw .forbidden("token \(token.name) has scope \(token.scope.rawValue); this needs \(scope.rawValue)"
                             + (scope == .read ? " or dispatch" : ""))
        }
        return token
    }

    /// The caller's token when it may see a case routed to `departments`; otherwise a 403.
    static func requireCase(_ caseID: String, departments: [String], token: APIToken) throws(APIProblem) {
        guard token.canSee(caseDepartments: departments) else { throw notVisible(caseID, token: token) }
    }

    static func notVisible(_ caseID: String, token: APIToken) -> APIProblem {
        .forbidden("case \(caseID) is not routed to the token's departments (\(token.departments.joined(separator: ", ")))",
                   field: "id")
    }
}

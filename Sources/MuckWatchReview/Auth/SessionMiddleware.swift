import Hummingbird
import MuckWatchStore
import Foundation

/// Cookie names. The session cookie is HttpOnly and SameSite=Strict: scripts cannot read it and
/// other sites cannot make the browser send it.
enum CookieName {
    static let session = "mw_session"
    static let login = "mw_login"
}

/// Lets a request through only with a live session, which it puts in the context. Pages redirect
/// to the login form (coming back afterwards); form posts without a session are refused.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = ReviewContext
    let store: ReviewStore
    let renderer: Renderer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response {
        var context = context
        if let token = request.cookies[CookieName.session]?.value, Tokens.isWellFormed(token) {
            context.session = try await store.with { s throws(StoreError) in try s.session(token: token) }
        }
        guard context.session != nil else {
            if request.method == .get || request.method == .head {
                let target = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
                return Renderer.redirect("/login?next=" + (target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/cases"))
            }
            return renderer.problem(.unauthorized, "Your session has ended: log in again.", session: nil)
        }
        return try await next(request, context)
    }
}

extension Tokens {
    /// Only 64 lowercase hex digits ever reach a query: anything else is not a token we issued.
    static func isWellFormed(_ s: String) -> Bool {
        s.utf8.count == 64 && s.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}

/// Reads an `application/x-www-form-urlencoded` body (bounded by the context's upload limit).
func decodeForm<Form: Decodable>(_ type: Form.Type, _ request: Request, _ context: ReviewContext) async throws -> Form {
    let body = try await request.body.collect(upTo: context.maxUploadSize)
    do {
        return try URLEncodedFormDecoder().decode(Form.self, from: String(buffer: body))
    } catch {
        throw HTTPError(.badRequest, message: "The form could not be read: \(error)")
    }
}

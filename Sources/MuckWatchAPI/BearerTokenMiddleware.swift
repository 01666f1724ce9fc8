import Foundation
import HTTPTypes
public import Hummingbird
import Logging
import MuckWatchStore
import OpenAPIRuntime

/// Authenticates the API's requests by their `Authorization: Bearer` token (never by the web
/// app's session cookie), and answers every refusal or failure as the spec's JSON `Error`:
/// 401 without a live token, the handlers' own `APIProblem`s, 400 for what the generated
/// stubs cannot decode (naming the parameter or field), 500 for a store failure.
public struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let store: APIStore
    /// Paths answered without a token (the OpenAPI document).
    let open: Set<String>

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response {
        do {
            if open.contains(request.uri.path) { return try await next(request, context) }
            let token = try await authenticate(request)
            let bounded = try await Self.bounded(request)
            return try await APICaller.$token.withValue(token) { try await next(bounded, context) }
        } catch {
            let problem = Self.problem(for: error)
            if problem.status == .internalServerError { context.logger.error("API request failed: \(error)") }
            return Self.response(problem)
        }
    }

    /// The request with its body read, up to `RecordLines.maxBytes`: the generated stubs read a
    /// JSON body whole, whatever its size, so a larger one is refused here (413) before they do.
    private static func bounded(_ request: Request) async throws -> Request {
        guard request.method == .post else { return request }
        let tooLarge = APIProblem(status: .contentTooLarge,
                                  message: "request body over \(RecordLines.maxBytes) bytes: send fewer records per request",
                                  field: "body")
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > RecordLines.maxBytes { throw tooLarge }
        var request = request
        do { _ = try await request.collectBody(upTo: RecordLines.maxBytes) } catch { throw tooLarge }
        return request
    }

    private func authenticate(_ request: Request) async throws -> APIToken {
        guard let header = request.headers[.authorization] else {
            throw APIProblem(status: .unauthorized,
                             message: "missing Authorization: Bearer TOKEN header (create a token with muckwatch tokens add)",
                             field: "Authorization")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw APIProblem(status: .unauthorized, message: "the Authorization header must be Bearer TOKEN", field: "Authorization")
        }
        let hash = TokenSecret.hash(String(parts[1]).trimmingCharacters(in: .whitespaces))
        guard let token = try await store.with({ s throws(StoreError) in try s.token(hash: hash) }) else {
            throw APIProblem(status: .unauthorized, message: "unknown or revoked token (muckwatch tokens list)",
                             field: "Authorization")
        }
        return token
    }

    /// The answer for a thrown error.
    static func problem(for error: any Error) -> APIProblem {
        switch error {
        case let p as APIProblem: return p
        case let e as ServerError: return decodingProblem(e)
        case let e as StoreError:
            return APIProblem(status: .internalServerError, message: "the case store failed: \(e)", field: nil)
        case let e as HTTPError:
            return APIProblem(status: e.status, message: e.body ?? e.status.reasonPhrase, field: nil)
        default:
            return APIProblem(status: .internalServerError, message: "\(error)", field: nil)
        }
    }

    /// A generated stub's failure: the handler's own problem, or input it could not decode.
    private static func decodingProblem(_ e: ServerError) -> APIProblem {
        if let p = e.underlyingError as? APIProblem { return p }
        if let s = e.underlyingError as? StoreError { return problem(for: s) }
        if let (field, message) = ParameterCheck.fault(operationID: e.operationID, query: e.request.path.flatMap(query)) {
            return .badRequest(message, field: field)
        }
        if let d = e.underlyingError as? DecodingError {
            let (path, what): ([any CodingKey], String) = switch d {
            case let .typeMismatch(_, c), let .valueNotFound(_, c), let .dataCorrupted(c): (c.codingPath, c.debugDescription)
            case let .keyNotFound(k, c): (c.codingPath + [k], "missing")
            @unknown default: ([], "\(d)")
            }
            let field = path.map(\.stringValue).filter { Int($0) == nil && !$0.isEmpty }.last
            return .badRequest("cannot read \(field ?? "the input"): \(what)", field: field ?? "body")
        }
        if e.causeDescription.lowercased().contains("content type") {
            let sent = e.request.headerFields[.contentType] ?? "none"
            return .badRequest("Content-Type \(sent) is not one this operation takes (ingestion: application/json for a "
                               + "JSON array, application/x-ndjson for JSON Lines; see /api/openapi.json)", field: "Content-Type")
        }
        let cause = "\(e.underlyingError)"
        return .badRequest(cause == e.causeDescription ? cause : "\(e.causeDescription): \(cause)", field: nil)
    }

    /// The query of a request target (`/path?query`), if any.
    private static func query(_ target: String) -> String? {
        target.firstIndex(of: "?").map { String(target[target.index(after: $0)...]) }
    }

    static func response(_ p: APIProblem) -> Response {
        var object: [String: Any] = ["error": p.message]
        object["field"] = p.field ?? NSNull()
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if p.status == .unauthorized { headers[.wwwAuthenticate] = "Bearer realm=\"muckwatch\"" }
        return Response(status: p.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

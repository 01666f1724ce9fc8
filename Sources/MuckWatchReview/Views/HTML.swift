import Hummingbird
import Mustache
import MuckWatchStore

/// Escapes text for HTML and SVG (element content and quoted attributes).
func escapeHTML(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for ch in s.unicodeScalars {
        switch ch {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.unicodeScalars.append(ch)
        }
    }
    return out
}

/// Renders pages: a named template inside the shared layout, as a response with the app's security headers.
struct Renderer: Sendable {
    let library: MustacheLibrary

    init() {
        var library = MustacheLibrary()
        let all = Templates.all.merging(ReportTemplates.all, uniquingKeysWith: { a, _ in a })
            .merging(CaseSections.all, uniquingKeysWith: { a, _ in a })
            .merging(FieldTemplates.all, uniquingKeysWith: { a, _ in a })
        for (name, text) in all {
            // The templates are compiled into the binary; one that does not parse is a programming error.
            do { try library.register(text, named: name) } catch { fatalError("template \(name): \(error)") }
        }
        self.library = library
    }

    /// The layout's header block: who is logged in and the token its logout form echoes.
    struct Header {
        var name: String
        var role: String
        var departmentList: String
        var csrf: String
    }

    struct Layout {
        var title: String
        var user: Header?
        var body: String
    }

    func page<Model>(_ template: String, _ model: Model, title: String, session: Session?,
              status: HTTPResponse.Status = .ok) -> Response {
        let body = library.render(model, withTemplate: template) ?? ""
        let header = session.map {
            Header(name: $0.user.name, role: $0.user.role.rawValue,
                   departmentList: $0.user.departments.joined(separator: ", "), csrf: $0.csrf)
        }
        let html = library.render(Layout(title: title, user: header, body: body), withTemplate: "layout") ?? body
        return Self.response(html, contentType: "text/html; charset=utf-8", status: status)
    }

    struct Problem {
        var heading: String
        var message: String
    }

    func problem(_ status: HTTPResponse.Status, _ message: String, session: Session?) -> Response {
        page("error", Problem(heading: "\(status.code) \(status.reasonPhrase)", message: message),
             title: status.reasonPhrase, session: session, status: status)
    }

    static func response(_ text: String, contentType: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func redirect(_ location: String) -> Response {
        var headers = HTTPFields()
        headers[.location] = location
        return Response(status: .seeOther, headers: headers)
    }
}

/// Headers every response carries: no inline scripts or styles, no framing, no sniffing.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = ReviewContext
    /// Origins images may come from besides the app: the basemap's tile server (issue #21).
    var imageSources: [String] = []

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] =
            "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src "
            + (["'self'", "data:"] + imageSources).joined(separator: " ")
            + "; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.init("Referrer-Policy")!] = "same-origin"
        response.headers[.init("X-Frame-Options")!] = "DENY"
        return response
    }
}

import Foundation
import Hummingbird
import MuckWatchStore

/// Login and logout. The login form carries a token that must match a cookie set with it (so another
/// site cannot log a browser in), failed attempts are counted per user name and, past the limit, refused
/// for a while without even checking the password.
struct LoginRoutes {
    let store: ReviewStore
    let renderer: Renderer
    let configuration: ReviewConfiguration

    struct LoginForm: Decodable {
        var user: String?
        var password: String?
        var csrf: String?
        var next: String?
    }

    struct LogoutForm: Decodable {
        var csrf: String?
    }

    func add(to router: Router<ReviewContext>) {
        router.get("/login") { request, _ in
            let next = request.uri.queryParameters.get("next") ?? "/cases"
            return showForm(next: next, user: "", message: nil, status: .ok, request: request)
        }
        router.post("/login") { request, context in try await login(request, context) }
    }

    func addLogout(to group: RouterGroup<ReviewContext>) {
        group.post("/logout") { request, context in
            let form = try await decodeForm(LogoutForm.self, request, context)
            guard let session = context.session, form.csrf == session.csrf else {
                return renderer.problem(.forbidden, "This form has expired; reload the page and try again.",
                                        session: context.session)
            }
            try await store.with { s throws(StoreError) in try s.deleteSession(token: session.token) }
            var response = Renderer.redirect("/login")
            response.setCookie(cookie(CookieName.session, "", path: "/", maxAge: 0))
            return response
        }
    }

    func showForm(next: String, user: String, message: String?, status: HTTPResponse.Status, request: Request)
        -> Response {
        let existing = request.cookies[CookieName.login]?.value
        let token = existing.flatMap { Tokens.isWellFormed($0) ? $0 : nil } ?? Tokens.random()
        let model = LoginFormModel(csrf: token, next: safeNext(next), user: user, message: message)
        var response = renderer.page("login", model, title: "Log in", session: nil, status: status)
        response.setCookie(cookie(CookieName.login, token, path: "/login", maxAge: 3600))
        return response
    }

    func login(_ request: Request, _ context: ReviewContext) async throws -> Response {
        let form = try await decodeForm(LoginForm.self, request, context)
        let name = (form.user ?? "").trimmingCharacters(in: .whitespaces)
        let next = form.next ?? "/cases"
        guard let csrf = form.csrf, csrf == request.cookies[CookieName.login]?.value else {
            return showForm(next: next, user: name, message: "The login form expired; please try again.",
                            status: .forbidden, request: request)
        }
        guard !name.isEmpty, name.utf8.count <= 128, let password = form.password, password.utf8.count <= 1024 else {
            return showForm(next: next, user: "", message: "Enter your user name and password.", status: .badRequest,
                            request: request)
        }
        let limit = configuration.maxLoginFailures, window = configuration.lockoutSeconds
        let failures = try await store.with { s throws(StoreError) in try s.loginFailures(user: name, within: window) }
        if failures >= limit {
            return showForm(next: next, user: name,
                            message: "Too many failed logins for \(name): try again in \(window / 60) minutes.",
                            status: .tooManyRequests, request: request)
        }
        let user = try await store.with { s throws(StoreError) in try s.user(named: name) }
        // Unknown names are checked against a decoy hash so they take as long as a wrong password.
        let ok = Passwords.verify(password, hash: user?.passwordHash ?? Passwords.decoy) && user != nil
        guard ok, let user else {
            try await store.with { s throws(StoreError) in try s.recordLoginFailure(user: name) }
            return showForm(next: next, user: name, message: "Wrong user name or password.", status: .unauthorized,
                            request: request)
        }
        let token = Tokens.random(), sessionCSRF = Tokens.random(), lifetime = configuration.sessionLifetime
        try await store.with { s throws(StoreError) in
            try s.clearLoginFailures(user: user.name)
            try s.createSession(token: token, csrf: sessionCSRF, user: user.name, lifetime: lifetime)
        }
        var response = Renderer.redirect(safeNext(next))
        response.setCookie(cookie(CookieName.session, token, path: "/", maxAge: Int(lifetime)))
        response.setCookie(cookie(CookieName.login, "", path: "/login", maxAge: 0))
        return response
    }

    /// Only paths of this app: never an absolute or protocol-relative URL (no open redirect).
    func safeNext(_ next: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-_.~?=&%+")
        guard next.hasPrefix("/"), !next.hasPrefix("//"), next.allSatisfy(allowed.contains), next.count <= 512,
              !next.hasPrefix("/login") else {
            return "/cases"
        }
        return next
    }

    func cookie(_ name: String, _ value: String, path: String, maxAge: Int) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: path, secure: configuration.secureCookies,
               httpOnly: true, sameSite: .strict)
    }
}

import MuckWatchStore

/// Who is looking at a page: what their role lets them see and do, and the token their forms echo.
/// A session without its cookie token, so pages can be built in tests without logging in.
struct Viewer: Sendable {
    var user: User
    var csrf: String

    init(user: User, csrf: String) {
        self.user = user
        self.csrf = csrf
    }

    init(_ session: Session) { self.init(user: session.user, csrf: session.csrf) }
}

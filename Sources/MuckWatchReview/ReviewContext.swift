public import Hummingbird
public import MuckWatchStore

/// Per-request state: the logged-in session, when there is one (set by `SessionMiddleware`).
public struct ReviewContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var session: Session?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// Form posts are small; anything bigger is refused before it is read.
    public var maxUploadSize: Int { 64 * 1024 }
}

public import Hummingbird
import Logging
import MuckWatchJournal
public import MuckWatchStore

/// The officers' review app (`muckwatch serve`): server-rendered pages over the case store.
///
/// Every page but the login form needs a session; every form carries the session's CSRF token;
/// what a user sees and may change follows their role and departments (see `Role`).
public enum ReviewApp {
    /// The router with every route and middleware, for `serve` and for route-level tests.
    public static func router(store: ReviewStore, configuration: ReviewConfiguration) -> Router<ReviewContext> {
        let renderer = Renderer()
        let router = Router(context: ReviewContext.self)
        // One line per request, carrying the request's id (issue #25: logs an operator can ship).
        router.add(middleware: LogRequestsMiddleware(.info))
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: SecurityHeadersMiddleware(imageSources: configuration.basemap.map { [$0.origin] } ?? []))
        router.add(middleware: ErrorPageMiddleware(renderer: renderer))
        router.get("/static/app.css") { _, _ in
            Renderer.response(Stylesheet.css + ReportStylesheet.css + ResponsiveStylesheet.css,
                              contentType: "text/css; charset=utf-8")
        }
        router.get("/static/near.js") { _, _ in
            Renderer.response(NearScript.js, contentType: "text/javascript; charset=utf-8")
        }
        ReportRoutes.addStatic(to: router, basemap: configuration.basemap)
        router.get("/healthz") { _, _ in "ok" }
        OperationsRoutes(store: store, configuration: configuration).add(to: router)
        let login = LoginRoutes(store: store, renderer: renderer, configuration: configuration)
        login.add(to: router)

        let app = router.group().add(middleware: SessionMiddleware(store: store, renderer: renderer))
        login.addLogout(to: app)
        let field = FieldSettings(configuration)
        CaseListRoutes(store: store, renderer: renderer, pageSize: configuration.pageSize, field: field).add(to: app)
        let fences = FenceCache()
        let detail = CaseDetailRoutes(store: store, renderer: renderer, fences: fences, basemap: configuration.basemap,
                                      field: field, journal: configuration.journal.map { JournalWindowReader(directory: $0) })
        detail.add(to: app)
        WorkflowRoutes(store: store, renderer: renderer, detail: detail).add(to: app)
        StatisticsRoutes(store: store, renderer: renderer, fences: fences, field: field).add(to: app)
        // Issue #26: the field officers' pages, on-site handling, photos and evaluation.
        FieldRoutes(store: store, renderer: renderer, fences: fences, settings: field).add(to: app)
        HandlingRoutes(store: store, detail: detail).add(to: app)
        PhotoRoutes(store: store, detail: detail, settings: field).add(to: app)
        EvaluationRoutes(store: store, detail: detail, settings: field).add(to: app)
        ManifestRoutes(store: store, renderer: renderer, fences: fences, pageSize: configuration.pageSize).add(to: app)
        ReportRoutes(store: store, renderer: renderer, fences: fences, configuration: configuration).add(to: app)
        return router
    }

    /// Runs the app until SIGINT/SIGTERM, listening where `configuration` says.
    /// - Parameter listening: told the port once the socket is bound (never when binding
    ///   fails), so a banner saying where the app is never precedes a bind error.
    public static func run(configuration: ReviewConfiguration, api: (Router<ReviewContext>) throws -> Void = { _ in },
                           listening: @escaping @Sendable (_ port: Int) async -> Void = { _ in }) async throws {
        try await application(configuration: configuration, api: api, listening: listening).runService()
    }

    /// The application `run` serves: the router behind an HTTP/1 server that cuts idle and slow
    /// clients after `idleTimeoutSeconds` instead of holding their connections forever.
    /// - Parameter api: adds the integration API's routes (issue #20; Bearer tokens, not sessions).
    public static func application(configuration: ReviewConfiguration, now: @escaping @Sendable () -> Int64 = CaseStore.systemNow,
                                   api: (Router<ReviewContext>) throws -> Void = { _ in },
                                   listening: @escaping @Sendable (_ port: Int) async -> Void = { _ in })
        throws -> some ApplicationProtocol {
        let store = try ReviewStore(path: configuration.database, now: now)
        var logger = Logger(label: "muckwatch.serve")
        logger.logLevel = .info
        let router = router(store: store, configuration: configuration)
        try api(router)
        return Application(
            router: router,
            server: .http1(configuration: .init(idleTimeout: .seconds(configuration.idleTimeoutSeconds))),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port),
                                 serverName: "MuckWatch"),
            onServerRunning: { channel in await listening(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
    }
}

/// Turns thrown errors into the app's HTML problem page (and store errors into a 500 that says what failed).
struct ErrorPageMiddleware: RouterMiddleware {
    typealias Context = ReviewContext
    let renderer: Renderer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            return renderer.problem(error.status, error.body ?? error.status.reasonPhrase, session: context.session)
        } catch let error as StoreError {
            context.logger.error("store error: \(error)")
            return renderer.problem(.internalServerError, "The case store failed: \(error)", session: context.session)
        }
    }
}

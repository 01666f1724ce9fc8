public import MuckWatchJudge

/// How `muckwatch serve` runs: where the store is, where to listen, how long sessions last and how
/// hard password guessing is throttled. The defaults suit one city's control room on a private network.
public struct ReviewConfiguration: Sendable {
    /// The case store (`muckwatch.sqlite` of an `analyze --out` folder, or the gateway's `--db`).
    public var database: String
    public var host: String
    public var port: Int
    /// Seconds a login lasts.
    public var sessionLifetime: Int64
    /// Mark cookies `Secure` (only sent over HTTPS): turn on behind a TLS proxy.
    public var secureCookies: Bool
    /// Failed logins allowed per user name within `lockoutSeconds` before further attempts are refused.
    public var maxLoginFailures: Int
    public var lockoutSeconds: Int64
    /// Cases per page in the case list.
    public var pageSize: Int
    /// Seconds a connection may sit without a complete request before it is closed (slow or idle clients).
    public var idleTimeoutSeconds: Int64
    /// `GET /metrics`: the process's metrics in Prometheus text format; `nil`: no such route (issue #20).
    public var metrics: (@Sendable () -> String)?
    /// What `/readyz` checks besides the store: `nil` when ready, else why not (the dispatch worker's state).
    public var readiness: (@Sendable () -> String?)?
    /// The app's address as officers reach it, for the Excel file's links to case pages (issue #21);
    /// `http://host:port` when not told.
    public var linkBase: String?
    /// The tile server the case maps draw on (`serve --tiles`), with the Leaflet files read at
    /// start; `nil` keeps the offline SVG map alone.
    public var basemap: Basemap?
    /// Where camera and gate image paths resolve (`serve --images`): the print page shows an image
    /// only when its file is under this folder.
    public var imageRoot: String?
    /// Issue #26: the deadlines overdue marks and evaluations apply (`serve --config`'s `deadlines`).
    public var deadlines = DeadlinePolicy()
    /// Issue #26: where officers' photos are kept, never a served folder; `<database>.photos` unless set.
    public var photoFolder: String?
    /// Issue #26: the largest photo taken, in bytes, and the most photos a case takes.
    public var maxPhotoBytes = 10 * 1024 * 1024
    public var maxPhotosPerCase = 10
    /// Photos one upload may carry: the request is refused unread past this many at the size limit.
    public var maxPhotosPerUpload = 3
    /// Issue #24: the gateway's fix journal (`serve --journal`), read only: the case page shows each
    /// violation's raw fixes from it. `nil`: the page says there is none.
    public var journal: String?

    /// The folder photos are kept in.
    /// (Beside a store file; in the working folder for a PostgreSQL store, issue #23.)
    public var photos: String {
        photoFolder ?? (database.hasPrefix("postgres") ? "muckwatch.photos" : database + ".photos")
    }

    public init(database: String, host: String = "127.0.0.1", port: Int = 8080, sessionLifetime: Int64 = 12 * 3600,
                secureCookies: Bool = false, maxLoginFailures: Int = 5, lockoutSeconds: Int64 = 15 * 60,
                pageSize: Int = 50, idleTimeoutSeconds: Int64 = 30) {
        self.database = database
        self.host = host
        self.port = port
        self.sessionLifetime = sessionLifetime
        self.secureCookies = secureCookies
        self.maxLoginFailures = maxLoginFailures
        self.lockoutSeconds = lockoutSeconds
        self.pageSize = pageSize
        self.idleTimeoutSeconds = idleTimeoutSeconds
    }

    /// `linkBase`, or this app's own address.
    public var resolvedLinkBase: String { linkBase ?? "http://\(host):\(port)" }
}

import Foundation

/// Where a case store lives, as `--db` names it: a SQLite file (the default, no server), or
/// a PostgreSQL database `postgres://user:pass@host:port/db?sslmode=require` (issue #23).
///
/// Why one string for both: every command already takes `--db PATH`, and a URL cannot be
/// mistaken for a file name, so each command accepts the server with no new option.
public enum StoreLocation: Sendable, Equatable, CustomStringConvertible {
    case file(String)
    case postgres(PostgresLocation)

    /// A `postgres://` or `postgresql://` URL is a server; anything else is a file path.
    public init(parsing text: String) throws(StoreError) {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(try PostgresLocation(url: text))
        } else {
            self = .file(text)
        }
    }

    /// The file path, or the server without its password (for messages and logs).
    public var description: String {
        switch self {
        case let .file(path): path
        case let .postgres(p): p.display
        }
    }
}

/// A PostgreSQL store: libpq's URL (its parameters, `sslmode` and the like, passed on as
/// given) and, from the URL's own `schema=` parameter, the schema the store's tables live
/// in (several cities, or parallel tests, in one database).
public struct PostgresLocation: Sendable, Equatable {
    /// The URL libpq connects with (without `schema=`).
    public let url: String
    /// The tables' schema; `nil` for the user's default (`public`).
    public let schema: String?
    /// `user@host:port/db`, never the password.
    public let display: String

    public init(url text: String) throws(StoreError) {
        guard var parts = URLComponents(string: text), parts.host != nil || parts.path.count > 1 else {
            throw .badLocation(text: Self.redacted(text),
                               reason: "write it as postgres://user:password@host:5432/database[?sslmode=require]")
        }
        var schema: String?
        var kept: [URLQueryItem] = []
        for item in parts.queryItems ?? [] {
            if item.name == "schema" { schema = item.value } else { kept.append(item) }
        }
        if let s = schema, s.isEmpty || !s.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
            throw .badLocation(text: Self.redacted(text), reason: "schema= takes letters, digits and _ only")
        }
        parts.queryItems = kept.isEmpty ? nil : kept
        url = parts.string ?? text
        self.schema = schema
        let user = parts.user.map { $0 + "@" } ?? ""
        let port = parts.port.map { ":\($0)" } ?? ""
        display = "postgres://\(user)\(parts.host ?? "localhost")\(port)\(parts.path)" + (schema.map { "?schema=\($0)" } ?? "")
    }

    /// The URL with its password replaced, for an error about the URL itself.
    static func redacted(_ text: String) -> String {
        guard var parts = URLComponents(string: text), parts.password != nil else { return text }
        parts.password = "***"
        return parts.string ?? "postgres://…"
    }
}

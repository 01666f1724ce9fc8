/// libpq's failures as `StoreError`s that name the server and say what to do.
///
/// Why by message for connecting: before a session exists libpq reports only text (the
/// server's SQLSTATE arrives later); its wording is stable across PostgreSQL 12–17.
enum PostgresFailure {
    /// Connecting failed: refused, unknown host, authentication, missing database or role, TLS.
    static func connecting(_ server: String, _ message: String) -> StoreError {
        .serverUnavailable(server: server, message: message, remedy: remedy(connecting: message, server: server))
    }

    static func remedy(connecting message: String, server: String) -> String {
        let m = message.lowercased()
        if m.contains("connection refused") || m.contains("no such file or directory") {
            return "no PostgreSQL server answers there: start it (pg_ctl start, systemctl start postgresql) "
                + "or fix the host and port in --db"
        }
        if m.contains("could not translate host name") || m.contains("name or service not known") {
            return "the host name in --db does not resolve: check it"
        }
        if m.contains("password authentication failed") || m.contains("no password supplied")
            || m.contains("authentication failed") {
            return "check the user and password in --db (postgres://USER:PASSWORD@host/db) or the server's pg_hba.conf"
        }
        if m.contains("database") && m.contains("does not exist") {
            return "create the database first (createdb, or CREATE DATABASE as its owner), then run again"
        }
        if m.contains("role") && m.contains("does not exist") {
            return "create the user on the server (createuser) or name an existing one in --db"
        }
        if m.contains("no pg_hba.conf entry") {
            return "the server does not let this user in from here: add a line to its pg_hba.conf"
        }
        if m.contains("ssl") {
            return "TLS: use ?sslmode=require (or verify-full with sslrootcert=) only with a server that has TLS on, "
                + "sslmode=disable for one without"
        }
        return "check that the server is up and the URL in --db is right"
    }

    /// A statement failed; PostGIS missing on the server gets its own remedy.
    static func statement(_ server: String, state: String, message: String, doing: String, sql: String) -> StoreError {
        .postgres(server: server, state: state, message: message, doing: doing, sql: sql)
    }

    /// Why `CREATE EXTENSION postgis` failed, and who can fix it.
    static func postgisMissing(_ server: String, _ message: String) -> StoreError {
        let remedy = message.contains("permission denied") || message.contains("must be")
            ? "ask the database's owner or a superuser to run CREATE EXTENSION postgis; in it"
            : "install PostGIS on the server (Debian: apt-get install postgresql-15-postgis-3), then run again"
        return .serverUnavailable(server: server, message: "PostGIS is not available: \(message)", remedy: remedy)
    }
}

public import MuckWatchCore
import MuckWatchJudge

/// Everything that can go wrong in the case store, with enough context for a user to act:
/// SQLite's own message, its result code, and what the store was doing (and the SQL) at the time.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The database file could not be opened or created (missing folder, permissions, not a database).
    case openFailed(path: String, code: Int32, message: String)
    /// A statement failed to prepare, bind, step or execute.
    case sqlite(code: Int32, message: String, doing: String, sql: String)
    /// `--db` is neither a file path nor a PostgreSQL URL libpq can read.
    case badLocation(text: String, reason: String)
    /// A PostgreSQL server could not be reached or used (refused, authentication, missing
    /// database, PostGIS missing); `remedy` says what to do.
    case serverUnavailable(server: String, message: String, remedy: String)
    /// A statement failed on a PostgreSQL store; `state` is the SQLSTATE.
    case postgres(server: String, state: String, message: String, doing: String, sql: String)
    /// A schema migration failed; the store stays at the previous version.
    case migrationFailed(version: Int, code: Int32, message: String)
    /// The file was written by a newer MuckWatch whose schema this build does not know.
    case newerSchema(path: String, found: Int, known: Int)
    /// No case with this id in the store.
    case caseNotFound(String)
    /// The status workflow does not allow this step.
    case invalidTransition(caseID: String, from: Case.Status, to: Case.Status)
    /// Dismissing a case must say why.
    case noteRequired(caseID: String, to: Case.Status)
    /// A handling, photo or evaluation the rules refuse (issue #26): the reason says what to fix.
    case refused(caseID: String, reason: String)
    /// A stored value could not be read back (hand-edited or corrupt file).
    case corrupt(what: String)
    /// A statement's SQL has no `:name` parameter for a column the store binds: the SQL and
    /// its column list disagree (a bug in the store, not in the file).
    case missingParameter(String, sql: String)
    /// A query's result has no column of this name: the SELECT and the record read from
    /// it disagree (a bug in the store), or the file's schema lacks the column.
    case missingColumn(String, sql: String)
    /// A step of a run's write (`RunWrite`) after its commit or rollback: a bug in the
    /// caller, the run's rows are as that commit or rollback left them.
    case runWriteEnded(runID: Int64)

    /// The database's own message of a failed statement, on either backend.
    public var statementMessage: String? {
        switch self {
        case let .sqlite(_, message, _, _), let .postgres(_, _, message, _, _): message
        default: nil
        }
    }

    /// The SQL of a failed statement, on either backend.
    public var statementSQL: String? {
        switch self {
        case let .sqlite(_, _, _, sql), let .postgres(_, _, _, _, sql): sql
        default: nil
        }
    }

    /// Another connection held the store's write lock past the busy timeout: the same
    /// work may simply be tried again.
    public var isBusy: Bool {
        switch self {
        case let .sqlite(code, _, _, _), let .migrationFailed(_, code, _), let .openFailed(_, code, _):
            code & 0xFF == 5  // SQLITE_BUSY and its extended codes
        default: false
        }
    }

    public var description: String {
        switch self {
        case let .openFailed(path, code, message):
            return "cannot open case store \(path): \(message) (SQLite code \(code))"
        case let .sqlite(code, message, doing, sql):
            return "case store error while \(doing): \(message) (SQLite code \(code)); SQL: \(sql)"
        case let .badLocation(text, reason):
            return "cannot read --db \(text): \(reason)"
        case let .serverUnavailable(server, message, remedy):
            return "cannot use case store \(server): \(message)" + (remedy.isEmpty ? "" : "; \(remedy)")
        case let .postgres(server, state, message, doing, sql):
            return "case store \(server) error while \(doing): \(message) (SQLSTATE \(state)); SQL: \(sql)"
        case let .migrationFailed(version, code, message):
            return "case store migration \(version) failed: \(message)" + (code == 0 ? "" : " (SQLite code \(code))")
        case let .newerSchema(path, found, known):
            return "case store \(path) has schema version \(found) but this muckwatch knows only up to \(known); "
                + "use a newer muckwatch or a fresh --out folder"
        case let .caseNotFound(id):
            return "no case \(id) in the store"
        case let .invalidTransition(id, from, to):
            let allowed = CaseWorkflow.allowedTargets(from: from).map(\.rawValue).joined(separator: ", ")
            return "case \(id) is \(from.rawValue) and cannot become \(to.rawValue)"
                + (allowed.isEmpty ? "" : " (allowed: \(allowed))")
        case let .noteRequired(id, to):
            return "case \(id): setting status \(to.rawValue) needs a note saying why"
        case let .refused(id, reason):
            return "case \(id): \(reason)"
        case let .corrupt(what):
            return "case store holds an unreadable value: \(what)"
        case let .missingParameter(name, sql):
            return "case store statement has no parameter :\(name); SQL: \(sql)"
        case let .missingColumn(name, sql):
            return "case store query has no result column \(name); SQL: \(sql)"
        case let .runWriteEnded(runID):
            return "run \(runID)'s store write was used after its commit or rollback (a bug: please report it)"
        }
    }
}

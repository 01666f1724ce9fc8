/// The store's schema as numbered migrations.
///
/// Why numbered from day one: stores outlive releases (an officer's `--out` folder is kept for
/// months), so every change ships as a new entry appended here and old files are upgraded in place.
/// Entry `i` is version `i + 1`; never edit or reorder an entry once released.
///
/// Times are ISO 8601 text with offset (`*_at`, for people and exports) plus Unix seconds
/// (`*_unix`) wherever queries range or sort over them. Dates are `YYYY-MM-DD` plus a day number.
public enum Schema {
    public static let migrations: [String] = [
        // 1: runs
        """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            started_at TEXT NOT NULL,
            started_unix INTEGER NOT NULL,
            finished_at TEXT,
            finished_unix INTEGER,
            utc_offset_s INTEGER NOT NULL,
            trips INTEGER NOT NULL DEFAULT 0,
            cases INTEGER NOT NULL DEFAULT 0
        );
        """,
        // 2: run metadata (inputs, options, version, timings)
        """
        CREATE TABLE run_metadata (
            run_id INTEGER NOT NULL REFERENCES runs(id),
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (run_id, key)
        ) WITHOUT ROWID;
        """,
        // 3: cases
        """
        CREATE TABLE cases (
            case_id TEXT PRIMARY KEY,
            vehicle_id TEXT NOT NULL,
            company TEXT,
            status TEXT NOT NULL DEFAULT 'open'
                CHECK (status IN ('open','dispatched','resolved','dismissed','closed')),
            departments TEXT NOT NULL,
            case_date TEXT NOT NULL,
            case_day INTEGER NOT NULL,
            trip_key TEXT,
            trip_source_site TEXT,
            trip_loaded_at TEXT,
            trip_loaded_unix INTEGER,
            trip_disposal_site TEXT,
            trip_dump_lon REAL,
            trip_dump_lat REAL,
            trip_dumped_at TEXT,
            trip_dumped_unix INTEGER,
            trip_distance_km REAL,
            trip_load_t REAL,
            trip_permit_id TEXT,
            created_run INTEGER NOT NULL REFERENCES runs(id),
            updated_run INTEGER NOT NULL REFERENCES runs(id),
            superseded INTEGER NOT NULL DEFAULT 0 CHECK (superseded IN (0, 1))
        );
        CREATE INDEX cases_status ON cases(status, case_day);
        CREATE INDEX cases_company ON cases(company);
        CREATE INDEX cases_day ON cases(case_day);
        CREATE INDEX cases_vehicle ON cases(vehicle_id, case_day);
        CREATE INDEX cases_updated_run ON cases(updated_run);
        """,
        // 4: trips (one row per trip key, last seen in run_id)
        """
        CREATE TABLE trips (
            trip_key TEXT PRIMARY KEY,
            run_id INTEGER NOT NULL REFERENCES runs(id),
            vehicle_id TEXT NOT NULL,
            source_site TEXT,
            loaded_at TEXT NOT NULL,
            loaded_unix INTEGER NOT NULL,
            disposal_site TEXT,
            dump_lon REAL,
            dump_lat REAL,
            dumped_at TEXT,
            dumped_unix INTEGER,
            distance_km REAL NOT NULL,
            load_t REAL,
            permit_id TEXT,
            case_id TEXT REFERENCES cases(case_id) DEFERRABLE INITIALLY DEFERRED
        );
        CREATE INDEX trips_run ON trips(run_id);
        CREATE INDEX trips_vehicle ON trips(vehicle_id, loaded_unix);
        CREATE INDEX trips_case ON trips(case_id) WHERE case_id IS NOT NULL;
        """,
        // 5: violations
        """
        CREATE TABLE violations (
            id INTEGER PRIMARY KEY,
            case_id TEXT NOT NULL REFERENCES cases(case_id) ON DELETE CASCADE,
            ord INTEGER NOT NULL,
            vehicle_id TEXT NOT NULL,
            type TEXT NOT NULL CHECK (type IN ('illegal_dump','unapproved_disposal','no_permit','off_route',
                'restricted_zone','outside_hours','speeding','overload','unsealed','spill','signal_loss',
                'plate_mismatch')),
            start_at TEXT NOT NULL,
            start_unix INTEGER NOT NULL,
            end_at TEXT NOT NULL,
            end_unix INTEGER NOT NULL,
            lon REAL NOT NULL,
            lat REAL NOT NULL,
            source TEXT NOT NULL CHECK (source IN ('gps','sensor','camera','trajectory')),
            detail TEXT NOT NULL
        );
        CREATE INDEX violations_case ON violations(case_id, ord);
        CREATE INDEX violations_type ON violations(type, case_id);
        CREATE INDEX violations_start ON violations(start_unix);
        """,
        // 6: case routing
        """
        CREATE TABLE case_departments (
            case_id TEXT NOT NULL REFERENCES cases(case_id) ON DELETE CASCADE,
            department TEXT NOT NULL,
            ord INTEGER NOT NULL,
            PRIMARY KEY (case_id, department)
        ) WITHOUT ROWID;
        CREATE INDEX case_departments_department ON case_departments(department, case_id);
        """,
        // 7: evidence
        """
        CREATE TABLE evidence (
            id INTEGER PRIMARY KEY,
            violation_id INTEGER NOT NULL REFERENCES violations(id) ON DELETE CASCADE,
            ord INTEGER NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('fix_range','sensor','camera_event','image')),
            value TEXT NOT NULL,
            t0 INTEGER,
            t1 INTEGER
        );
        CREATE INDEX evidence_violation ON evidence(violation_id, ord);
        CREATE INDEX evidence_camera ON evidence(value) WHERE kind = 'camera_event';
        """,
        // 8: append-only audit trail
        """
        CREATE TABLE case_events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            case_id TEXT NOT NULL REFERENCES cases(case_id),
            at TEXT NOT NULL,
            at_unix INTEGER NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            from_status TEXT CHECK (from_status IS NULL
                OR from_status IN ('open','dispatched','resolved','dismissed','closed')),
            to_status TEXT CHECK (to_status IS NULL
                OR to_status IN ('open','dispatched','resolved','dismissed','closed')),
            note TEXT,
            run_id INTEGER REFERENCES runs(id)
        );
        CREATE INDEX case_events_case ON case_events(case_id, id);
        CREATE INDEX case_events_at ON case_events(at_unix);
        CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
        BEGIN SELECT RAISE(ABORT, 'case_events is append-only: audit rows cannot be changed'); END;
        CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
        BEGIN SELECT RAISE(ABORT, 'case_events is append-only: audit rows cannot be deleted'); END;
        """,
        // 9: what maps and exports need besides the case rows: each case's thinned track, the
        // fences, and the camera events (evidence and context).
        """
        CREATE TABLE case_tracks (
            case_id TEXT PRIMARY KEY REFERENCES cases(case_id),
            points TEXT NOT NULL
        );
        CREATE TABLE fences (
            fence_id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            geometry TEXT NOT NULL,
            corridor_m REAL,
            radius_m REAL,
            run_id INTEGER REFERENCES runs(id)
        );
        CREATE TABLE camera_events (
            event_id TEXT PRIMARY KEY,
            checkpoint_id TEXT NOT NULL,
            at TEXT NOT NULL,
            at_unix INTEGER NOT NULL,
            plate TEXT NOT NULL,
            type TEXT NOT NULL,
            confidence REAL NOT NULL,
            image TEXT,
            run_id INTEGER REFERENCES runs(id)
        );
        CREATE INDEX camera_events_plate ON camera_events(plate, at_unix);
        """,
        // 10: the review app's accounts. Passwords only as bcrypt hashes; sessions are random
        // 256-bit tokens with a per-session CSRF token; failed logins are kept to slow guessing.
        """
        CREATE TABLE users (
            name TEXT PRIMARY KEY,
            password_hash TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('officer','supervisor','auditor')),
            created_at TEXT NOT NULL,
            created_unix INTEGER NOT NULL
        );
        CREATE TABLE user_departments (
            user_name TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
            department TEXT NOT NULL,
            PRIMARY KEY (user_name, department)
        ) WITHOUT ROWID;
        CREATE TABLE sessions (
            token TEXT PRIMARY KEY,
            user_name TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
            csrf TEXT NOT NULL,
            created_unix INTEGER NOT NULL,
            expires_unix INTEGER NOT NULL
        );
        CREATE INDEX sessions_expires ON sessions(expires_unix);
        CREATE TABLE login_failures (
            id INTEGER PRIMARY KEY,
            user_name TEXT NOT NULL,
            at_unix INTEGER NOT NULL
        );
        CREATE INDEX login_failures_user ON login_failures(user_name, at_unix);
        """,
        // 11: the permits and vehicles a run used, so a case page can show the facts behind it.
        """
        CREATE TABLE permits (
            permit_id TEXT PRIMARY KEY,
            vehicles TEXT NOT NULL,
            source_site TEXT NOT NULL,
            disposal_site TEXT NOT NULL,
            route TEXT,
            valid_from TEXT NOT NULL,
            valid_to TEXT NOT NULL,
            hours TEXT,
            run_id INTEGER REFERENCES runs(id)
        );
        CREATE TABLE vehicles (
            vehicle_id TEXT PRIMARY KEY,
            company TEXT NOT NULL,
            rated_load_t REAL,
            terminal_id TEXT,
            run_id INTEGER REFERENCES runs(id)
        );
        """,
        // 12: the review app's case list on 100k cases: filtering, ordering and counting read this
        // index alone instead of the wide case rows.
        """
        CREATE INDEX cases_listing ON cases(superseded, case_day, case_id, status, company, vehicle_id);
        """,
        // 13: the live gateway's keys (the auth-code key), so the codes terminals were given
        // survive a gateway restart and they need not all register again.
        """
        CREATE TABLE gateway_keys (
            name TEXT PRIMARY KEY,
            key INTEGER NOT NULL,
            created_unix INTEGER NOT NULL
        );
        """,
        // 14: the store's cost per new case. Case ids are random, so every index keyed by case
        // id (or by a few values, then case id) puts one more page of its own in the log for
        // each new case: at a thousand new cases a second the live store's log was a third
        // such pages. Dropped: the indexes by violation start and audit time, which no query
        // reads; the index by (department, case id), which served only the case list's menu of
        // departments (now a table of its own, a row per department ever routed to, so the
        // menu reads a few rows); the index by (type, case id), whose filter is now answered
        // from each case's own entries, the type added to the index by case id.
        """
        DROP INDEX case_departments_department;
        DROP INDEX violations_type;
        DROP INDEX violations_start;
        DROP INDEX case_events_at;
        DROP INDEX violations_case;
        CREATE INDEX violations_case ON violations(case_id, ord, type);
        CREATE TABLE departments (department TEXT PRIMARY KEY) WITHOUT ROWID;
        INSERT INTO departments SELECT DISTINCT department FROM case_departments;
        """,
        // 15: contract v2, manifests (电子联单) and gate records. The violation types, sources and
        // evidence kinds are CHECKed, and SQLite cannot alter a CHECK: `violations` and `evidence`
        // are rebuilt (the Migrator runs with foreign keys off, so dropping the old tables
        // cascades nothing; their rows are copied first). Trips gain their manifest and the
        // tonnes received; fences their facility; vehicles their RFID tag. Manifests are kept
        // whole with their judged state; gate passes with the vehicle they belong to.
        """
        CREATE TABLE violations_v15 (
            id INTEGER PRIMARY KEY,
            case_id TEXT NOT NULL REFERENCES cases(case_id) ON DELETE CASCADE,
            ord INTEGER NOT NULL,
            vehicle_id TEXT NOT NULL,
            type TEXT NOT NULL CHECK (type IN ('illegal_dump','unapproved_disposal','no_permit','off_route',
                'restricted_zone','outside_hours','speeding','overload','unsealed','spill','signal_loss',
                'plate_mismatch','manifest_missing','manifest_unclosed','manifest_mismatch','weight_discrepancy',
                'tare_anomaly','rfid_mismatch','presence_mismatch')),
            start_at TEXT NOT NULL,
            start_unix INTEGER NOT NULL,
            end_at TEXT NOT NULL,
            end_unix INTEGER NOT NULL,
            lon REAL NOT NULL,
            lat REAL NOT NULL,
            source TEXT NOT NULL CHECK (source IN ('gps','sensor','camera','trajectory','manifest','gate')),
            detail TEXT NOT NULL
        );
        INSERT INTO violations_v15 SELECT id, case_id, ord, vehicle_id, type, start_at, start_unix, end_at, end_unix,
            lon, lat, source, detail FROM violations;
        CREATE TABLE evidence_v15 (
            id INTEGER PRIMARY KEY,
            violation_id INTEGER NOT NULL REFERENCES violations(id) ON DELETE CASCADE,
            ord INTEGER NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('fix_range','sensor','camera_event','image','manifest','gate_event')),
            value TEXT NOT NULL,
            t0 INTEGER,
            t1 INTEGER
        );
        INSERT INTO evidence_v15 SELECT id, violation_id, ord, kind, value, t0, t1 FROM evidence;
        DROP TABLE evidence;
        DROP TABLE violations;
        ALTER TABLE violations_v15 RENAME TO violations;
        ALTER TABLE evidence_v15 RENAME TO evidence;
        CREATE INDEX violations_case ON violations(case_id, ord, type);
        CREATE INDEX evidence_violation ON evidence(violation_id, ord);
        CREATE INDEX evidence_camera ON evidence(value) WHERE kind = 'camera_event';
        CREATE INDEX evidence_manifest ON evidence(value) WHERE kind = 'manifest';
        ALTER TABLE trips ADD COLUMN manifest_id TEXT;
        ALTER TABLE trips ADD COLUMN received_t REAL;
        ALTER TABLE fences ADD COLUMN facility TEXT;
        ALTER TABLE vehicles ADD COLUMN rfid TEXT;
        CREATE TABLE manifests (
            manifest_id TEXT PRIMARY KEY,
            permit_id TEXT,
            vehicle_id TEXT NOT NULL,
            driver_id TEXT,
            source_site TEXT NOT NULL,
            disposal_site TEXT NOT NULL,
            waste_type TEXT NOT NULL,
            declared_t REAL NOT NULL,
            opened_at TEXT NOT NULL,
            opened_unix INTEGER NOT NULL,
            opened_day INTEGER NOT NULL,
            closed_at TEXT,
            closed_unix INTEGER,
            closed_site TEXT,
            received_t REAL,
            state TEXT NOT NULL CHECK (state IN ('open','closed','unclosed','mismatched')),
            trip_loaded_unix INTEGER,
            case_id TEXT,
            run_id INTEGER REFERENCES runs(id)
        );
        CREATE INDEX manifests_day ON manifests(opened_day, opened_unix);
        CREATE INDEX manifests_vehicle ON manifests(vehicle_id, opened_unix);
        CREATE INDEX manifests_state ON manifests(state, opened_day);
        CREATE TABLE gate_events (
            event_id TEXT PRIMARY KEY,
            site TEXT NOT NULL,
            at TEXT NOT NULL,
            at_unix INTEGER NOT NULL,
            direction TEXT NOT NULL CHECK (direction IN ('in','out')),
            vehicle_id TEXT NOT NULL,
            plate TEXT,
            rfid TEXT,
            gross_t REAL,
            tare_t REAL,
            manifest_id TEXT,
            image TEXT,
            run_id INTEGER REFERENCES runs(id)
        );
        CREATE INDEX gate_events_vehicle ON gate_events(vehicle_id, at_unix);
        CREATE INDEX gate_events_manifest ON gate_events(manifest_id) WHERE manifest_id IS NOT NULL;
        """,
        // Issue #20: the dispatch outbox. A status change to `dispatched` writes, in its own
        // transaction, one delivery per department of the case that has a webhook
        // (`dispatch_targets`, refreshed from the config by every process running the
        // worker), so no dispatch is lost between the commit and the POST; the worker sends
        // due rows, logs each try in `dispatch_attempts` and marks the row delivered or, after
        // its retry window, failed. `body` is frozen at the first try: retries send the same bytes.
        """
        CREATE TABLE dispatch_targets (department TEXT PRIMARY KEY) WITHOUT ROWID;
        CREATE TABLE dispatch_outbox (
            id INTEGER PRIMARY KEY,
            case_id TEXT NOT NULL REFERENCES cases(case_id),
            department TEXT NOT NULL,
            event_id INTEGER NOT NULL REFERENCES case_events(id),
            idempotency_key TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            created_unix INTEGER NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('pending','delivered','failed')),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_ms INTEGER NOT NULL,
            last_error TEXT,
            delivered_at TEXT,
            delivered_unix INTEGER,
            body TEXT
        );
        CREATE INDEX dispatch_outbox_due ON dispatch_outbox(next_attempt_ms) WHERE state = 'pending';
        CREATE INDEX dispatch_outbox_failed ON dispatch_outbox(id) WHERE state = 'failed';
        CREATE INDEX dispatch_outbox_case ON dispatch_outbox(case_id, id);
        CREATE TABLE dispatch_attempts (
            id INTEGER PRIMARY KEY,
            outbox_id INTEGER NOT NULL REFERENCES dispatch_outbox(id),
            at TEXT NOT NULL,
            at_unix INTEGER NOT NULL,
            duration_ms INTEGER NOT NULL,
            http_status INTEGER,
            error TEXT
        );
        CREATE INDEX dispatch_attempts_outbox ON dispatch_attempts(outbox_id, id);
        """,
        // Issue #20: the integration API's tokens. Only a SHA-256 of each token is kept; a revoked
        // token keeps its row (its name stays in the audit trail) and stops authenticating.
        // Each ingestion request is audited under its token (`token:NAME`) with the ids it wrote;
        // status changes through a token are audited in case_events as any other.
        """
        CREATE TABLE api_tokens (
            name TEXT PRIMARY KEY,
            token_hash TEXT NOT NULL UNIQUE,
            scope TEXT NOT NULL CHECK (scope IN ('read','ingest','dispatch')),
            created_at TEXT NOT NULL,
            created_unix INTEGER NOT NULL,
            revoked_unix INTEGER
        );
        CREATE TABLE api_token_departments (
            token_name TEXT NOT NULL REFERENCES api_tokens(name) ON DELETE CASCADE,
            department TEXT NOT NULL,
            PRIMARY KEY (token_name, department)
        ) WITHOUT ROWID;
        CREATE TABLE api_ingestions (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            at_unix INTEGER NOT NULL,
            actor TEXT NOT NULL,
            kind TEXT NOT NULL,
            accepted INTEGER NOT NULL,
            duplicate INTEGER NOT NULL,
            rejected INTEGER NOT NULL,
            accepted_ids TEXT NOT NULL
        );
        """,
        // Issue #26: officers' on-site handling (处置结果), their photos (content-addressed files
        // beside the store; EXIF capture time and GPS kept here) and supervisors' evaluations.
        // Who did what is also in the append-only audit trail; these rows hold the details.
        """
        CREATE TABLE case_handlings (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            case_id TEXT NOT NULL REFERENCES cases(case_id),
            at TEXT NOT NULL,
            at_unix INTEGER NOT NULL,
            actor TEXT NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN
                ('penalty_issued','warning','cleanup_ordered','not_found','transferred')),
            penalty_yuan REAL,
            document_number TEXT,
            transferred_to TEXT,
            note TEXT
        );
        CREATE INDEX case_handlings_case ON case_handlings(case_id, id);
        CREATE TABLE case_photos (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            case_id TEXT NOT NULL REFERENCES cases(case_id),
            sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
            media_type TEXT NOT NULL CHECK (media_type IN ('image/jpeg','image/png','image/webp')),
            bytes INTEGER NOT NULL,
            file_name TEXT NOT NULL,
            taken TEXT,
            gps_lat REAL,
            gps_lon REAL,
            at TEXT NOT NULL,
            at_unix INTEGER NOT NULL,
            actor TEXT NOT NULL,
            UNIQUE (case_id, sha256)
        );
        CREATE TABLE case_evaluations (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            case_id TEXT NOT NULL REFERENCES cases(case_id),
            at TEXT NOT NULL,
            at_unix INTEGER NOT NULL,
            actor TEXT NOT NULL,
            verdict TEXT NOT NULL CHECK (verdict IN ('proper','sent_back')),
            on_time INTEGER CHECK (on_time IN (0, 1)),
            reason TEXT
        );
        CREATE INDEX case_evaluations_case ON case_evaluations(case_id, id);
        CREATE INDEX case_evaluations_at ON case_evaluations(at_unix);
        """,
    ]

    /// The version a fully migrated store has.
    public static var currentVersion: Int { migrations.count }
}

/// Applies the missing migrations, each in its own transaction with its `migrations` row.
enum Migrator {
    static func migrate(_ db: Database, now: Int64, clockFormat: (Int64) -> String,
                        migrations: [String] = Schema.migrations) throws(StoreError) {
        // In a write transaction: two processes opening a new PostgreSQL store at once take turns.
        try db.transaction { () throws(StoreError) in
            try db.execute("""
                CREATE TABLE IF NOT EXISTS migrations (
                    version INTEGER PRIMARY KEY,
                    applied_at TEXT NOT NULL,
                    applied_unix INTEGER NOT NULL
                )
                """, doing: "creating the migrations table")
        }
        let have = Int(try db.scalarInt("SELECT max(version) FROM migrations") ?? 0)
        if have > migrations.count {
            throw .newerSchema(path: db.path, found: have, known: migrations.count)
        }
        guard have < migrations.count else { return }
        // Off while migrating: a migration that rebuilds a table (SQLite cannot alter a CHECK)
        // drops the old one, which with foreign keys on would cascade into its children. Set
        // outside any transaction (where the pragma is a no-op) and checked before it is back on.
        // (PostgreSQL alters tables in place: its migrations drop nothing with rows in it.)
        let sqlite = db.dialect == .sqlite
        if sqlite { try db.execute("PRAGMA foreign_keys = OFF", doing: "pausing foreign keys for the migration") }
        defer { if sqlite { try? db.execute("PRAGMA foreign_keys = ON", doing: "enabling foreign keys") } }
        let record = try Parameters<MigrationColumns>(db, MigrationColumns.insert(into: "migrations"))
        let done = try ResultColumns<MigrationColumns>(db, "SELECT version FROM migrations WHERE version = :version",
                                                       reading: [.version])
        for version in (have + 1)...migrations.count {
            do {
                try db.transaction { () throws(StoreError) in
                    // Another process may have migrated since we looked: re-check under the write lock.
                    try done.bind(.version, SQLValue(version))
                    defer { done.reset() }
                    if try done.step() { return }
                    try db.execute(migrations[version - 1], doing: "applying migration \(version)")
                    try record.bindEach { column in
                        switch column {
                        case .version: SQLValue(version)
                        case .appliedAt: .text(clockFormat(now))
                        case .appliedUnix: .int(now)
                        }
                    }
                    try record.run()
                }
            } catch {
                if case let .sqlite(code, message, _, _) = error {
                    throw .migrationFailed(version: version, code: code, message: message)
                }
                if case let .postgres(_, _, message, _, _) = error {
                    throw .migrationFailed(version: version, code: 0, message: message)
                }
                throw error
            }
        }
        if sqlite, let broken = try db.scalarInt("SELECT count(*) FROM pragma_foreign_key_check"), broken > 0 {
            throw .migrationFailed(version: migrations.count, code: 787,
                                   message: "\(broken) rows reference rows that do not exist after migrating")
        }
    }
}

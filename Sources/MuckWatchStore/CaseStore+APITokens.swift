import MuckWatchCore

extension CaseStore {
    /// Stores a new token by its hash. A revoked token of the same name is replaced (its name
    /// is free again); a live one is not.
    /// - Returns: `false` when a live token already has this name.
    public func addToken(_ token: APIToken, hash: String) throws(StoreError) -> Bool {
        let at = now()
        let clock = self.clock
        return try db.transaction { () throws(StoreError) -> Bool in
            let live = try ResultColumns<APITokenColumns>(
                db, select: [.name], from: "api_tokens WHERE name = :name AND revoked_unix IS NULL")
            try live.bind(.name, .text(token.name))
            if try live.step() { return false }
            live.reset()
            let old = try Parameters<APITokenColumns>(db, "DELETE FROM api_tokens WHERE name = :name")
            try old.bind(.name, .text(token.name))
            try old.run()
            let t = try Parameters<APITokenColumns>(db, APITokenColumns.insert(into: "api_tokens"))
            try t.bindEach { column in
                switch column {
                case .name: .text(token.name)
                case .tokenHash: .text(hash)
                case .scope: .text(token.scope.rawValue)
                case .createdAt: .text(clock.format(at))
                case .createdUnix: .int(at)
                case .revokedUnix: .null
                }
            }
            try t.run()
            let d = try Parameters<APITokenDepartmentColumns>(
                db, db.dialect.insertOrIgnore(APITokenDepartmentColumns.self, into: "api_token_departments"))
            for department in token.departments {
                try d.bind(.tokenName, .text(token.name))
                try d.bind(.department, .text(department))
                try d.run()
            }
            return true
        }
    }

    /// The live token whose hash is `hash`, or `nil` (unknown or revoked).
    public func token(hash: String) throws(StoreError) -> APIToken? {
        let r = try ResultColumns<APITokenColumns>(
            db, select: [.name], from: "api_tokens WHERE token_hash = :token_hash AND revoked_unix IS NULL")
        try r.bind(.tokenHash, .text(hash))
        guard try r.step() else { return nil }
        return try tokens(named: r.text(.name)).first
    }

    /// Every token, live and revoked, by name.
    public func tokens() throws(StoreError) -> [APIToken] { try tokens(named: nil) }

    /// Revokes the live token called `name`.
    /// - Returns: `false` when there is no live token of that name.
    public func revokeToken(name: String) throws(StoreError) -> Bool {
        let p = try Parameters<APITokenColumns>(
            db, "UPDATE api_tokens SET revoked_unix = :revoked_unix WHERE name = :name AND revoked_unix IS NULL")
        try p.bind(.revokedUnix, .int(now()))
        try p.bind(.name, .text(name))
        try p.run()
        return db.changes > 0
    }

    private func tokens(named name: String?) throws(StoreError) -> [APIToken] {
        let r = try ResultColumns<APITokenColumns>(
            db, select: [.name, .scope, .createdUnix, .revokedUnix],
            from: "api_tokens" + (name == nil ? "" : " WHERE name = :name") + " ORDER BY name")
        if let name { try r.bind(.name, .text(name)) }
        var out: [APIToken] = []
        while try r.step() {
            guard let scope = TokenScope(rawValue: r.text(.scope)) else {
                throw .corrupt(what: "scope \(r.text(.scope)) of API token \(r.text(.name))")
            }
            out.append(APIToken(name: r.text(.name), scope: scope, departments: [], createdUnix: r.int64(.createdUnix),
                                revokedUnix: r.optionalInt64(.revokedUnix)))
        }
        let d = try ResultColumns<APITokenDepartmentColumns>(
            db, select: [.department], from: "api_token_departments WHERE token_name = :token_name ORDER BY department")
        for i in out.indices {
            try d.bind(.tokenName, .text(out[i].name))
            while try d.step() { out[i].departments.append(d.text(.department)) }
            d.reset()
        }
        return out
    }
}

/// `api_tokens`.
enum APITokenColumns: String, ColumnSet {
    case name, tokenHash = "token_hash", scope, createdAt = "created_at", createdUnix = "created_unix"
    case revokedUnix = "revoked_unix"
}

/// `api_token_departments`.
enum APITokenDepartmentColumns: String, ColumnSet {
    case tokenName = "token_name", department
}

/// One ingestion request's audit row: who sent it, what, and which records it wrote.
public struct IngestionAudit: Sendable, Equatable {
    public var actor: String
    /// `manifests`, `gate_events` or `camera_events`.
    public var kind: String
    public var accepted: [String]
    public var duplicate: Int
    public var rejected: Int
    public var at: Int64 = 0

    public init(actor: String, kind: String, accepted: [String], duplicate: Int, rejected: Int) {
        self.actor = actor
        self.kind = kind
        self.accepted = accepted
        self.duplicate = duplicate
        self.rejected = rejected
    }
}

extension CaseStore {
    /// Appends an ingestion request's audit row.
    public func auditIngestion(_ audit: IngestionAudit) throws(StoreError) {
        let at = now()
        let p = try Parameters<APIIngestionColumns>(db, APIIngestionColumns.insert(into: "api_ingestions", except: [.id]))
        try p.bindEach { column in
            switch column {
            case .id: .null
            case .at: .text(clock.format(at))
            case .atUnix: .int(at)
            case .actor: .text(audit.actor)
            case .kind: .text(audit.kind)
            case .accepted: SQLValue(audit.accepted.count)
            case .duplicate: SQLValue(audit.duplicate)
            case .rejected: SQLValue(audit.rejected)
            case .acceptedIDs: .text(audit.accepted.joined(separator: "\n"))
            }
        }
        try p.run()
    }

    /// The ingestion audit rows, oldest first.
    public func ingestionAudits() throws(StoreError) -> [IngestionAudit] {
        let r = try ResultColumns<APIIngestionColumns>(
            db, select: [.atUnix, .actor, .kind, .duplicate, .rejected, .acceptedIDs], from: "api_ingestions ORDER BY id")
        var out: [IngestionAudit] = []
        while try r.step() {
            let ids = r.text(.acceptedIDs)
            var a = IngestionAudit(actor: r.text(.actor), kind: r.text(.kind),
                                   accepted: ids.isEmpty ? [] : ids.split(separator: "\n").map(String.init),
                                   duplicate: Int(r.int64(.duplicate)), rejected: Int(r.int64(.rejected)))
            a.at = r.int64(.atUnix)
            out.append(a)
        }
        return out
    }
}

/// `api_ingestions`.
enum APIIngestionColumns: String, ColumnSet {
    case id, at, atUnix = "at_unix", actor, kind, accepted, duplicate, rejected, acceptedIDs = "accepted_ids"
}

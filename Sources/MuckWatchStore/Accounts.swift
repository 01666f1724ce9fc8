import MuckWatchCore

/// What a review-app user may do. Officers work the cases routed to their departments,
/// supervisors work every case, auditors read everything and change nothing.
public enum Role: String, Sendable, CaseIterable {
    case officer, supervisor, auditor

    /// May move cases through the workflow.
    public var acts: Bool { self != .auditor }
    /// Sees every department's cases.
    public var seesAll: Bool { self != .officer }
}

/// A review-app account as the store keeps it (the password only as a bcrypt hash).
public struct User: Sendable, Equatable {
    public var name: String
    public var role: Role
    public var departments: [String]
    public var passwordHash: String

    public init(name: String, role: Role, departments: [String], passwordHash: String) {
        self.name = name
        self.role = role
        self.departments = departments
        self.passwordHash = passwordHash
    }

    /// Whether this user may open a case routed to `caseDepartments`.
    public func canSee(caseDepartments: [String]) -> Bool {
        role.seesAll || caseDepartments.contains { departments.contains($0) }
    }
}

/// A logged-in browser: the cookie token, its user and the token every form must echo.
public struct Session: Sendable, Equatable {
    public var token: String
    public var user: User
    public var csrf: String
    public var expires: Int64
}

extension CaseStore {
    /// Creates or replaces an account (a replaced account keeps its name, loses its sessions).
    public func saveUser(_ user: User) throws(StoreError) {
        let at = now()
        let clock = self.clock
        try db.transaction { () throws(StoreError) in
            let old = try Parameters<SessionColumns>(db, "DELETE FROM sessions WHERE user_name = :user_name")
            try old.bind(.userName, .text(user.name))
            try old.run()
            let u = try Parameters<UserColumns>(db, UserColumns.insert(into: "users", then: """
                ON CONFLICT(name) DO UPDATE SET password_hash = excluded.password_hash, role = excluded.role
                """))
            try u.bindEach { column in
                switch column {
                case .name: .text(user.name)
                case .passwordHash: .text(user.passwordHash)
                case .role: .text(user.role.rawValue)
                case .createdAt: .text(clock.format(at))
                case .createdUnix: .int(at)
                }
            }
            try u.run()
            let clear = try Parameters<UserDepartmentColumns>(
                db, "DELETE FROM user_departments WHERE user_name = :user_name")
            try clear.bind(.userName, .text(user.name))
            try clear.run()
            let d = try Parameters<UserDepartmentColumns>(db, db.dialect.insertOrIgnore(
                UserDepartmentColumns.self, into: "user_departments"))
            for department in user.departments {
                try d.bind(.userName, .text(user.name))
                try d.bind(.department, .text(department))
                try d.run()
            }
        }
    }

    /// The account called `name`, or `nil`.
    public func user(named name: String) throws(StoreError) -> User? {
        let s = try ResultColumns<UserColumns>(db, select: [.passwordHash, .role], from: "users WHERE name = :name")
        try s.bind(.name, .text(name))
        guard try s.step() else { return nil }
        guard let role = Role(rawValue: s.text(.role)) else {
            throw .corrupt(what: "role \(s.text(.role)) of user \(name)")
        }
        let hash = s.text(.passwordHash)
        let d = try ResultColumns<UserDepartmentColumns>(
            db, select: [.department], from: "user_departments WHERE user_name = :user_name ORDER BY department")
        try d.bind(.userName, .text(name))
        var departments: [String] = []
        while try d.step() { departments.append(d.text(.department)) }
        return User(name: name, role: role, departments: departments, passwordHash: hash)
    }

    /// Every account, by name.
    public func users() throws(StoreError) -> [User] {
        let s = try ResultColumns<UserColumns>(db, select: [.name], from: "users ORDER BY name")
        var names: [String] = []
        while try s.step() { names.append(s.text(.name)) }
        var out: [User] = []
        for n in names { if let u = try user(named: n) { out.append(u) } }
        return out
    }

    /// Stores a new session for `user`, valid for `lifetime` seconds from now.
    public func createSession(token: String, csrf: String, user: String, lifetime: Int64) throws(StoreError) {
        let at = now()
        let s = try Parameters<SessionColumns>(db, SessionColumns.insert(into: "sessions"))
        try s.bindEach { column in
            switch column {
            case .token: .text(token)
            case .userName: .text(user)
            case .csrf: .text(csrf)
            case .createdUnix: .int(at)
            case .expiresUnix: .int(at + lifetime)
            }
        }
        try s.run()
        // Expired sessions are swept whenever a new one starts: the table never grows without bound.
        let sweep = try Parameters<SessionColumns>(db, "DELETE FROM sessions WHERE expires_unix < :expires_unix")
        try sweep.bind(.expiresUnix, .int(at))
        try sweep.run()
    }

    /// The live session behind a cookie token, or `nil` (unknown or expired).
    public func session(token: String) throws(StoreError) -> Session? {
        let s = try ResultColumns<SessionColumns>(
            db, select: [.userName, .csrf, .expiresUnix], from: "sessions WHERE token = :token AND expires_unix >= :now")
        try s.bind(.token, .text(token))
        try Parameters<NowParameter>(s.statement).bind(.now, .int(now()))
        guard try s.step() else { return nil }
        let name = s.text(.userName), csrf = s.text(.csrf), expires = s.int64(.expiresUnix)
        guard let user = try user(named: name) else { return nil }
        return Session(token: token, user: user, csrf: csrf, expires: expires)
    }

    /// Ends a session (logout).
    public func deleteSession(token: String) throws(StoreError) {
        let s = try Parameters<SessionColumns>(db, "DELETE FROM sessions WHERE token = :token")
        try s.bind(.token, .text(token))
        try s.run()
    }

    /// Records a failed login for `user` (known or not: guessing names is slowed down too).
    public func recordLoginFailure(user: String) throws(StoreError) {
        let s = try Parameters<LoginFailureColumns>(db, LoginFailureColumns.insert(into: "login_failures", except: [.id]))
        try s.bind(.userName, .text(user))
        try s.bind(.atUnix, .int(now()))
        try s.run()
    }

    /// Failed logins for `user` in the last `seconds`.
    public func loginFailures(user: String, within seconds: Int64) throws(StoreError) -> Int {
        let s = try ResultColumns<NameCountColumns>(db, """
            SELECT count(*) AS count FROM login_failures WHERE user_name = :user_name AND at_unix > :at_unix
            """, reading: [.count])
        let p = Parameters<LoginFailureColumns>(s.statement)
        try p.bind(.userName, .text(user))
        try p.bind(.atUnix, .int(now() - seconds))
        _ = try s.step()
        return Int(s.int64(.count))
    }

    /// Forgets failed logins of `user` (after a successful one).
    public func clearLoginFailures(user: String) throws(StoreError) {
        let s = try Parameters<LoginFailureColumns>(db, "DELETE FROM login_failures WHERE user_name = :user_name")
        try s.bind(.userName, .text(user))
        try s.run()
    }
}

/// The current time, as a query parameter.
private enum NowParameter: String, ColumnSet {
    case now
}

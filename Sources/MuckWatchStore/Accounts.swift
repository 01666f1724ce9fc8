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
            let old = try db.prepare("DELETE FROM sessions WHERE user_name = ?")
            try old.bind(1, user.name)
            try old.run()
            let u = try db.prepare("""
                INSERT INTO users(name, password_hash, role, created_at, created_unix) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(name) DO UPDATE SET password_hash = excluded.password_hash, role = excluded.role
                """)
            try u.bind(1, user.name)
            try u.bind(2, user.passwordHash)
            try u.bind(3, user.role.rawValue)
            try u.bind(4, clock.format(at))
            try u.bind(5, at)
            try u.run()
            let clear = try db.prepare("DELETE FROM user_departments WHERE user_name = ?")
            try clear.bind(1, user.name)
            try clear.run()
            let d = try db.prepare("INSERT OR IGNORE INTO user_departments(user_name, department) VALUES (?, ?)")
            for department in user.departments {
                try d.bind(1, user.name)
                try d.bind(2, department)
                try d.run()
            }
        }
    }

    /// The account called `name`, or `nil`.
    public func user(named name: String) throws(StoreError) -> User? {
        let s = try db.prepare("SELECT password_hash, role FROM users WHERE name = ?")
        try s.bind(1, name)
        guard try s.step() else { return nil }
        guard let role = Role(rawValue: s.text(1)) else { throw .corrupt(what: "role \(s.text(1)) of user \(name)") }
        let hash = s.text(0)
        let d = try db.prepare("SELECT department FROM user_departments WHERE user_name = ? ORDER BY department")
        try d.bind(1, name)
        var departments: [String] = []
        while try d.step() { departments.append(d.text(0)) }
        return User(name: name, role: role, departments: departments, passwordHash: hash)
    }

    /// Every account, by name.
    public func users() throws(StoreError) -> [User] {
        let s = try db.prepare("SELECT name FROM users ORDER BY name")
        var names: [String] = []
        while try s.step() { names.append(s.text(0)) }
        var out: [User] = []
        for n in names { if let u = try user(named: n) { out.append(u) } }
        return out
    }

    /// Stores a new session for `user`, valid for `lifetime` seconds from now.
    public func createSession(token: String, csrf: String, user: String, lifetime: Int64) throws(StoreError) {
        let at = now()
        let s = try db.prepare("""
            INSERT INTO sessions(token, user_name, csrf, created_unix, expires_unix) VALUES (?, ?, ?, ?, ?)
            """)
        try s.bind(1, token)
        try s.bind(2, user)
        try s.bind(3, csrf)
        try s.bind(4, at)
        try s.bind(5, at + lifetime)
        try s.run()
        // Expired sessions are swept whenever a new one starts: the table never grows without bound.
        let sweep = try db.prepare("DELETE FROM sessions WHERE expires_unix < ?")
        try sweep.bind(1, at)
        try sweep.run()
    }

    /// The live session behind a cookie token, or `nil` (unknown or expired).
    public func session(token: String) throws(StoreError) -> Session? {
        let s = try db.prepare("SELECT user_name, csrf, expires_unix FROM sessions WHERE token = ? AND expires_unix >= ?")
        try s.bind(1, token)
        try s.bind(2, now())
        guard try s.step() else { return nil }
        let name = s.text(0), csrf = s.text(1), expires = s.int64(2)
        guard let user = try user(named: name) else { return nil }
        return Session(token: token, user: user, csrf: csrf, expires: expires)
    }

    /// Ends a session (logout).
    public func deleteSession(token: String) throws(StoreError) {
        let s = try db.prepare("DELETE FROM sessions WHERE token = ?")
        try s.bind(1, token)
        try s.run()
    }

    /// Records a failed login for `user` (known or not: guessing names is slowed down too).
    public func recordLoginFailure(user: String) throws(StoreError) {
        let s = try db.prepare("INSERT INTO login_failures(user_name, at_unix) VALUES (?, ?)")
        try s.bind(1, user)
        try s.bind(2, now())
        try s.run()
    }

    /// Failed logins for `user` in the last `seconds`.
    public func loginFailures(user: String, within seconds: Int64) throws(StoreError) -> Int {
        let s = try db.prepare("SELECT count(*) FROM login_failures WHERE user_name = ? AND at_unix > ?")
        try s.bind(1, user)
        try s.bind(2, now() - seconds)
        _ = try s.step()
        return Int(s.int64(0))
    }

    /// Forgets failed logins of `user` (after a successful one).
    public func clearLoginFailures(user: String) throws(StoreError) {
        let s = try db.prepare("DELETE FROM login_failures WHERE user_name = ?")
        try s.bind(1, user)
        try s.run()
    }
}

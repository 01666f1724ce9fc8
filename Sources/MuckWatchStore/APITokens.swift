/// What an integration API token may do (issue #20, docs/api.md).
///
/// `dispatch` includes `read`: a department's system that moves cases must read them first.
/// `ingest` stands alone: a gate or manifest platform pushes records and has no business
/// reading cases.
public enum TokenScope: String, Sendable, CaseIterable {
    case read, ingest, dispatch

    /// Whether a token of this scope may do what needs `needed`.
    public func allows(_ needed: TokenScope) -> Bool {
        self == needed || (self == .dispatch && needed == .read)
    }
}

/// An integration API token as the store keeps it: its name, scope and departments, never
/// the token itself (only its hash, which the store compares and does not hand out).
public struct APIToken: Sendable, Equatable {
    public var name: String
    public var scope: TokenScope
    /// Empty: every department's cases. Otherwise only cases routed to one of these.
    public var departments: [String]
    public var createdUnix: Int64
    public var revokedUnix: Int64?

    public init(name: String, scope: TokenScope, departments: [String], createdUnix: Int64 = 0, revokedUnix: Int64? = nil) {
        self.name = name
        self.scope = scope
        self.departments = departments
        self.createdUnix = createdUnix
        self.revokedUnix = revokedUnix
    }

    /// The audit trail's actor for changes made with this token.
    public var actor: String { "token:" + name }

    /// Whether this token may see a case routed to `caseDepartments` (as `User.canSee` for an officer).
    public func canSee(caseDepartments: [String]) -> Bool {
        departments.isEmpty || caseDepartments.contains { departments.contains($0) }
    }
}

/// A `--config` file's dispatch keys that cannot be used: which file, which key, and why.
public struct DispatchConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    /// The key's path in the file, e.g. `dispatch_webhooks.city_management.url`.
    public var key: String
    public var reason: String

    public var description: String { "\(path): \(key): \(reason)" }
}

public import Foundation

/// Folders a test process makes once and shares between its tests (a night analyzed once per
/// process), removed when the process exits: no test owns them, so no test's cleanup can, and
/// without this every `swift test` left them in the temp dir.
public enum ProcessScratch {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var folders: [String] = []
    private static let registered: Void = { atexit { ProcessScratch.removeAll() } }()

    /// A new folder under the system temp dir named `prefix-UUID`, removed at exit.
    public static func folder(_ prefix: String) -> String {
        let path = NSTemporaryDirectory() + prefix + "-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        register(path)
        return path
    }

    /// Removes `path` (a folder or file) when the process exits.
    public static func register(_ path: String) {
        _ = registered
        lock.withLock { folders.append(path) }
    }

    private static func removeAll() {
        for path in lock.withLock({ folders }) { try? FileManager.default.removeItem(atPath: path) }
    }
}

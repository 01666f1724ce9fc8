import Foundation

/// The `muckwatch` executable `swift build` made beside the tests, run as an operator would.
public enum BuiltBinary {
    /// Its path, or `nil` when it is not built.
    public static var path: String? {
        let candidates = [
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("muckwatch").path,
            BundledSample.root + "/.build/debug/muckwatch",
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs `executable` with `arguments` (in `dir`), standard error discarded; its exit status and standard output.
    public static func run(_ executable: String, _ arguments: [String], in dir: String? = nil) throws
        -> (status: Int32, out: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        if let dir { p.currentDirectoryURL = URL(fileURLWithPath: dir) }
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

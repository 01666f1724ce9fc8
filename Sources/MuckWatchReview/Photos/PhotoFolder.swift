import Crypto
import Foundation

/// The folder officers' photos are kept in: beside the store, never under a served path, each
/// file named by the SHA-256 of its content (so a name from the phone never becomes a path and
/// the same photo uploaded twice is one file). Files are read back only through the photo
/// route, after the case's access check.
struct PhotoFolder: Sendable {
    let path: String

    static func sha256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// Only 64 lowercase hex digits name a file here.
    static func isHash(_ s: String) -> Bool {
        s.utf8.count == 64 && s.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// Writes `bytes` under `sha256` (written to a temporary name first, then renamed, so a
    /// reader never sees half a file); an existing file of that name is the same content.
    func save(_ bytes: [UInt8], sha256: String) throws {
        precondition(Self.isHash(sha256))
        let fm = FileManager.default
        try fm.createDirectory(atPath: path, withIntermediateDirectories: true,
                               attributes: [.posixPermissions: 0o700])
        let target = path + "/" + sha256
        if fm.fileExists(atPath: target) { return }
        let temporary = path + "/." + sha256 + "." + UUID().uuidString
        try Data(bytes).write(to: URL(fileURLWithPath: temporary))
        if rename(temporary, target) != 0 {
            let code = errno
            try? fm.removeItem(atPath: temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: target, "errno": code])
        }
    }

    func load(sha256: String) -> Data? {
        guard Self.isHash(sha256) else { return nil }
        return FileManager.default.contents(atPath: path + "/" + sha256)
    }
}

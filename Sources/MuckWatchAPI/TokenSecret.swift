import Crypto
import Foundation

/// The secret half of an API token: 32 random bytes, shown once as `mw_` and 64 hex digits,
/// stored only as the SHA-256 of that text (a token is random, so no salt or slow hash is
/// needed: nothing can be guessed from the hash).
public enum TokenSecret {
    /// A new token's text.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return "mw_" + hex(bytes)
    }

    /// What the store keeps of `token`.
    public static func hash(_ token: String) -> String {
        hex(Array(SHA256.hash(data: Data(token.utf8))))
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes { out += [digits[Int(b >> 4)], digits[Int(b & 0xF)]] }
        return String(decoding: out, as: UTF8.self)
    }
}

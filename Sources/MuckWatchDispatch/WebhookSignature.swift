import Crypto

/// `X-MuckWatch-Signature: sha256=<hex>`: HMAC-SHA256 of the exact body bytes with the
/// department's secret, so a receiver knows the case came from MuckWatch and was not altered.
public enum WebhookSignature {
    public static let header = "X-MuckWatch-Signature"

    /// The header's value for `body` signed with `secret`.
    public static func value(body: some Sequence<UInt8>, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array(body), using: SymmetricKey(data: Array(secret.utf8)))
        return "sha256=" + mac.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// Whether `header` is `body`'s signature with `secret` (compared in constant time).
    public static func isValid(_ header: String, body: some Sequence<UInt8>, secret: String) -> Bool {
        let expected = Array(value(body: body, secret: secret).utf8)
        let given = Array(header.utf8)
        guard expected.count == given.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(expected, given) { difference |= a ^ b }
        return difference == 0
    }
}

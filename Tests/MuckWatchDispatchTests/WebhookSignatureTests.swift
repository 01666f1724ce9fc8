import Testing
@testable import MuckWatchDispatch

/// The signature header: HMAC-SHA256 as RFC 4231 computes it, hex, with its `sha256=` prefix.
@Suite struct WebhookSignatureTests {
    @Test func rfc4231TestCase2() {
        let body = Array("what do ya want for nothing?".utf8)
        let expected = "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        #expect(WebhookSignature.value(body: body, secret: "Jefe") == expected)
        #expect(WebhookSignature.isValid(expected, body: body, secret: "Jefe"))
        #expect(!WebhookSignature.isValid(expected, body: body + [0x20], secret: "Jefe"))
        #expect(!WebhookSignature.isValid(expected, body: body, secret: "jefe"))
        #expect(!WebhookSignature.isValid("sha256=", body: body, secret: "Jefe"))
    }
}

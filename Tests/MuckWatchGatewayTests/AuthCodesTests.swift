import MuckWatchJT808
import Testing
@testable import MuckWatchGateway

/// Auth codes are handed to terminals and checked on every later connection, also after a
/// gateway upgrade: the same key and phone must give the same code in every version.
@Suite struct AuthCodesTests {
    @Test func codesAreStableAcrossVersions() throws {
        let auth = AuthCodes(key: 0xF00D_0000_0000_BEEF)
        let phone = try #require(JT808Phone(digits: "13912345678"))
        let long = try #require(JT808Phone(digits: "12345678901234567890"))
        #expect(auth.code(for: phone) == "MW497DF4FC246F6729")
        #expect(auth.code(for: long) == "MWF4294E46C500786B")
        #expect(AuthCodes(key: 1).code(for: phone) != auth.code(for: phone))
    }
}

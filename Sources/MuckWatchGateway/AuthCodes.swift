import Foundation
import MuckWatchJT808

/// Auth codes (鉴权码) handed out in 0x8100 and checked in 0x0102: a keyed hash of the
/// terminal phone. Nothing to store or share between connections: a terminal that
/// reconnects authenticates with the code it was given, on any connection. The key is
/// kept in the store (`CaseStore.key(named: Configuration.authKeyName)`, across restarts) in `muckwatch gateway`;
/// without one it is drawn at start-up, and after a restart terminals must register
/// again (their auth fails, and a JT/T 808 terminal then re-registers).
struct AuthCodes: Sendable {
    let key: UInt64

    init(key: UInt64 = UInt64.random(in: 1...UInt64.max)) {
        self.key = key
    }

    func code(for phone: JT808Phone) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ key
        // The phone's 10 bytes, most significant first.
        for shift in [8, 0] { h = (h ^ UInt64(UInt8(truncatingIfNeeded: phone.high >> UInt16(shift)))) &* 0x100_0000_01b3 }
        for shift in stride(from: 56, through: 0, by: -8) {
            h = (h ^ UInt64(UInt8(truncatingIfNeeded: phone.low >> UInt64(shift)))) &* 0x100_0000_01b3
        }
        h ^= h >> 29
        h = h &* 0xbf58_476d_1ce4_e5b9
        h ^= h >> 32
        var hex = String(h, radix: 16, uppercase: true)
        while hex.count < 16 { hex = "0" + hex }
        return "MW" + hex
    }
}

public import MuckWatchCore

/// One accepted fix as the gateway received it: who sent it (terminal phone, message id
/// and serial), when it arrived, and the fix as parsed from the report. The unit of the
/// journal; a value type so a loop iteration's entries sit in one array.
public struct JournalEntry: Sendable, Equatable {
    /// The fix; `vehicle` indexes the plate table of whoever made or read the entry.
    public var fix: Fix
    /// The terminal phone as 20 BCD nibbles, right-aligned (`JT808Phone.high`/`low`).
    public var phoneHigh: UInt16
    public var phoneLow: UInt64
    /// The message that carried the fix: 0x0200 or 0x0704, and the terminal's serial.
    public var messageID: UInt16
    public var serial: UInt16
    /// Wall-clock receive time, Unix milliseconds.
    public var receivedMs: Int64

    public init(fix: Fix, phoneHigh: UInt16, phoneLow: UInt64, messageID: UInt16, serial: UInt16, receivedMs: Int64) {
        self.fix = fix
        self.phoneHigh = phoneHigh
        self.phoneLow = phoneLow
        self.messageID = messageID
        self.serial = serial
        self.receivedMs = receivedMs
    }
}

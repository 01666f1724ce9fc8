import MuckWatchCore
import MuckWatchJT808

/// Which live vehicle each registered JT/T 808 terminal reports for. The live analysis
/// knows vehicles only; the protocol's phone numbers stay on the gateway's side.
enum TerminalRegistry {
    /// The registry's terminal numbers (`JT808CaptureReader.terminalDirectory`, the same
    /// rule as for captures) mapped to their vehicles' indices in `plates`.
    static func vehicles(_ registry: [Vehicle], plates: PlateTable) -> [JT808Phone: Int32] {
        var out: [JT808Phone: Int32] = [:]
        for (digits, plate) in JT808CaptureReader.terminalDirectory(registry) {
            guard let phone = JT808Phone(digits: digits), let vehicle = plates.lookup(plate) else { continue }
            out[phone] = vehicle
        }
        return out
    }
}

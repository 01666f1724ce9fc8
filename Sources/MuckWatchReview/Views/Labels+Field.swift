import Foundation
import MuckWatchCore

/// Words of the field pages (issue #26).
extension Labels {
    static func outcome(_ o: HandlingOutcome) -> String {
        switch o {
        case .penaltyIssued: return "penalty issued 罚款"
        case .warning: return "warning 警告"
        case .cleanupOrdered: return "ordered to clean up 责令清理"
        case .notFound: return "not found on site 现场未发现"
        case .transferred: return "transferred 移交其他部门"
        }
    }

    static func verdict(_ v: EvaluationVerdict) -> String {
        switch v {
        case .proper: return "handled properly 处置得当"
        case .sentBack: return "sent back 退回重办"
        }
    }

    /// A span of time as officers say it: `45 min`, `5.5 h`, `3 d 4 h`.
    static func duration(_ seconds: Int64) -> String {
        let s = max(0, seconds)
        if s < 3600 { return "\(s / 60) min" }
        if s < 48 * 3600 { return String(format: "%.1f h", Double(s) / 3600) }
        return "\(s / 86400) d \((s % 86400) / 3600) h"
    }

    static func hours(_ seconds: Double?) -> String {
        seconds.map { String(format: "%.1f h", $0 / 3600) } ?? "—"
    }

    static func degrees(_ lat: Double, _ lon: Double) -> String { String(format: "%.6f, %.6f", lat, lon) }
}

extension Labels {
    /// Yuan without a needless fraction: `2000`, `1999.5`.
    static func money(_ y: Double) -> String {
        y == y.rounded() ? String(Int64(y)) : String(format: "%.2f", y)
    }
}

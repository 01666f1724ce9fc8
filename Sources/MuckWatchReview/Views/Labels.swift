import MuckWatchCore
import MuckWatchReports
import Foundation

/// Words officers read: each violation type in English and in the term Chinese enforcement uses.
enum Labels {
    /// The names are `ViolationNames`' (shared with the Excel export, issue #21).
    static func violation(_ t: ViolationType) -> String { ViolationNames.english(t) + " " + ViolationNames.chinese(t) }

    /// The button for moving a case to `status`.
    static func action(_ status: Case.Status) -> String {
        switch status {
        case .dispatched: return "Confirm & dispatch 确认派单"
        case .dismissed: return "Dismiss 驳回"
        case .resolved: return "Resolve 已处理"
        case .closed: return "Close 结案"
        case .open: return "Reopen 重新打开"
        }
    }

    static func status(_ status: Case.Status) -> String {
        switch status {
        case .open: return "open 待审"
        case .dispatched: return "dispatched 已派单"
        case .resolved: return "resolved 已处理"
        case .dismissed: return "dismissed 已驳回"
        case .closed: return "closed 已结案"
        }
    }

    static func waste(_ w: WasteType) -> String {
        switch w {
        case .excavatedSoil: return "excavated soil 工程渣土"
        case .engineeringMud: return "engineering mud 工程泥浆"
        case .demolition: return "demolition 拆除垃圾"
        case .decoration: return "decoration 装修垃圾"
        case .other: return "other 其他"
        }
    }

    static func facility(_ f: Facility) -> String {
        switch f {
        case .landfill: return "landfill 填埋"
        case .recycling: return "recycling 资源化利用"
        case .sorting: return "sorting 分选"
        case .backfill: return "backfill 回填"
        }
    }

    static func manifestState(_ s: ManifestState) -> String {
        switch s {
        case .open: return "open 未闭合"
        case .closed: return "closed 已闭合"
        case .unclosed: return "unclosed 超时未闭合"
        case .mismatched: return "mismatched 联单不符"
        }
    }

    /// Tonnes as the pages print them: one decimal.
    static func tonnes(_ t: Double) -> String { String(format: "%.1f t", t) }

    /// A share as a percentage with one decimal.
    static func percent(_ x: Double) -> String { String(format: "%.1f %%", x * 100) }

    /// `2026-11-20T22:14:05+08:00` → `2026-11-20 22:14:05`: the zone is the city's, said once per page.
    static func time(_ t: Int64, _ clock: LocalClock) -> String {
        let iso = clock.format(t)
        return String(iso.prefix(19)).replacingOccurrences(of: "T", with: " ")
    }

    static func clockTime(_ t: Int64, _ clock: LocalClock) -> String { String(time(t, clock).suffix(8)) }
}

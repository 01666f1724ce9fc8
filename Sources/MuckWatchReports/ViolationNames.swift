public import MuckWatchCore

/// Each violation type in English and in the term Chinese enforcement uses: the review app's
/// labels and the Excel export's two columns say the same words.
public enum ViolationNames {
    public static func english(_ t: ViolationType) -> String { names(t).english }
    public static func chinese(_ t: ViolationType) -> String { names(t).chinese }

    static func names(_ t: ViolationType) -> (english: String, chinese: String) {
        switch t {
        case .illegalDump: ("illegal dump", "偷倒")
        case .unapprovedDisposal: ("unapproved disposal", "未经核准消纳")
        case .noPermit: ("no permit", "无证运输")
        case .offRoute: ("off route", "偏离路线")
        case .restrictedZone: ("restricted zone", "闯禁区")
        case .outsideHours: ("outside hours", "超时段")
        case .speeding: ("speeding", "超速")
        case .overload: ("overload", "冒装")
        case .unsealed: ("unsealed", "未密闭")
        case .spill: ("spill", "撒漏")
        case .signalLoss: ("signal loss", "信号丢失")
        case .plateMismatch: ("plate mismatch", "套牌")
        case .manifestMissing: ("no manifest", "无联单运输")
        case .manifestUnclosed: ("manifest unclosed", "联单未闭合")
        case .manifestMismatch: ("manifest mismatch", "联单不符")
        case .weightDiscrepancy: ("weight discrepancy", "重量不符")
        case .tareAnomaly: ("tare anomaly", "皮重异常")
        case .rfidMismatch: ("RFID mismatch", "电子标签不符")
        case .presenceMismatch: ("presence mismatch", "到场不符")
        }
    }
}

/// A workbook as values: sheets of rows of cells, built by the reports and written by `XLSXWorkbook`.
/// Kept apart from the writer so what a report puts in its sheets is tested without a file.
public struct SheetBook: Sendable, Equatable {
    public var sheets: [Sheet]
    /// The workbook's creation time (unix seconds), written into its document properties: the same
    /// data with the same time gives the same bytes (the CLI's file and the app's download).
    public var created: Int64
    public var title: String

    public init(sheets: [Sheet], created: Int64, title: String) {
        self.sheets = sheets
        self.created = created
        self.title = title
    }
}

/// One worksheet: a bold header row frozen at the top, then rows.
public struct Sheet: Sendable, Equatable {
    /// At most 31 characters, none of `[]:*?/\` (Excel's rule; `XLSXWorkbook` refuses others).
    public var name: String
    public var header: [String]
    public var rows: [[Cell]]
    /// Column widths in characters, by position; columns past the list keep Excel's default.
    public var widths: [Double]

    public init(name: String, header: [String], rows: [[Cell]] = [], widths: [Double] = []) {
        self.name = name
        self.header = header
        self.rows = rows
        self.widths = widths
    }
}

/// One cell's value.
public enum Cell: Sendable, Equatable {
    case text(String)
    case number(Double)
    /// A hyperlink shown as `text`.
    case link(url: String, text: String)
    case empty

    public static func int(_ n: Int) -> Cell { .number(Double(n)) }
    public static func optional(_ s: String?) -> Cell { s.map { .text($0) } ?? .empty }
}

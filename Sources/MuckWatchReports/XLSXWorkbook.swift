import CXLSXWriter
import Foundation

/// A workbook or cell libxlsxwriter refused, with the sheet and cell it was writing.
public struct XLSXError: Error, CustomStringConvertible, Equatable {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Writes a `SheetBook` as an .xlsx file through libxlsxwriter: the one type here that calls C.
///
/// libxlsxwriter writes to a path (its zip container needs a seekable file); the review app's
/// download writes to a temporary file and sends its bytes (`bytes(of:)`).
public enum XLSXWorkbook {
    /// Excel's limit on a sheet name, and the characters it refuses in one.
    static let maxSheetName = 31
    static let forbiddenInSheetName = Set("[]:*?/\\")
    /// Excel's limit on one cell's text; longer text is cut with "…" rather than refused.
    static let maxCellText = 32_767

    public static func write(_ book: SheetBook, to path: String) throws(XLSXError) {
        let folder = (path as NSString).deletingLastPathComponent
        var isFolder: ObjCBool = false
        guard folder.isEmpty || (FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) && isFolder.boolValue)
        else {
            throw XLSXError("\(path): the folder \(folder) does not exist; create it or write elsewhere")
        }
        guard let wb = workbook_new(path) else {
            throw XLSXError("\(path): cannot create the workbook (is the folder there and writable?)")
        }
        var properties = lxw_doc_properties()
        let title = strdup(book.title), author = strdup("MuckWatch")
        defer { free(title); free(author) }
        properties.title = title
        properties.author = author
        properties.created = time_t(book.created)
        var failure: XLSXError?
        check(workbook_set_properties(wb, &properties), "\(path): document properties", into: &failure)
        let bold = workbook_add_format(wb)
        format_set_bold(bold)
        for sheet in book.sheets where failure == nil {
            guard sheet.name.count <= maxSheetName, !sheet.name.contains(where: forbiddenInSheetName.contains),
                  let ws = workbook_add_worksheet(wb, sheet.name) else {
                failure = XLSXError("\(path): sheet name “\(sheet.name)” is not allowed by Excel "
                    + "(at most 31 characters, none of []:*?/\\, unique)")
                break
            }
            for (col, width) in sheet.widths.enumerated() {
                check(worksheet_set_column(ws, lxw_col_t(col), lxw_col_t(col), width, nil),
                      "\(path): sheet \(sheet.name) column \(col + 1) width", into: &failure)
            }
            for (col, title) in sheet.header.enumerated() {
                check(worksheet_write_string(ws, 0, lxw_col_t(col), title, bold),
                      "\(path): sheet \(sheet.name) header \(title)", into: &failure)
            }
            worksheet_freeze_panes(ws, 1, 0)
            for (r, row) in sheet.rows.enumerated() where failure == nil {
                for (c, cell) in row.enumerated() {
                    let at = "\(path): sheet \(sheet.name) row \(r + 2) column \(c + 1)"
                    let row = lxw_row_t(r + 1), col = lxw_col_t(c)
                    switch cell {
                    case .text(let s): check(worksheet_write_string(ws, row, col, clipped(s), nil), at, into: &failure)
                    case .number(let x): check(worksheet_write_number(ws, row, col, x, nil), at, into: &failure)
                    case .link(let url, let text):
                        check(worksheet_write_url_opt(ws, row, col, url, nil, clipped(text), nil), at + " (\(url))",
                              into: &failure)
                    case .empty: break
                    }
                }
            }
        }
        // Closing frees the workbook whether or not a cell failed; the file is only kept when all went in.
        let closed = workbook_close(wb)
        if let failure {
            unlink(path)
            throw failure
        }
        guard closed == LXW_NO_ERROR else {
            throw XLSXError("\(path): writing the workbook failed: \(String(cString: lxw_strerror(closed)))")
        }
    }

    /// The bytes of `book` as an .xlsx file, written through a temporary file (removed after).
    public static func bytes(of book: SheetBook) throws(XLSXError) -> [UInt8] {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("muckwatch-\(UUID().uuidString).xlsx").path
        defer { unlink(path) }
        try write(book, to: path)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw XLSXError("\(path): the workbook just written cannot be read back")
        }
        return [UInt8](data)
    }

    private static func check(_ error: lxw_error, _ what: @autoclosure () -> String, into failure: inout XLSXError?) {
        guard error != LXW_NO_ERROR, failure == nil else { return }
        failure = XLSXError("\(what()): \(String(cString: lxw_strerror(error)))")
    }

    private static func clipped(_ s: String) -> String {
        s.utf16.count <= maxCellText ? s : String(s.prefix(maxCellText - 1)) + "…"
    }
}

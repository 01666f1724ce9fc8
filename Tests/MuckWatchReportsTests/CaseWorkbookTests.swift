import Foundation
import MuckWatchCore
import MuckWatchReports
import MuckWatchStore
import Testing

/// The Excel workbook written by libxlsxwriter and read back by an independent reader (Python's
/// openpyxl): one row per case, one per violation, totals and league rows that agree with the store.
@Suite struct CaseWorkbookTests {
    /// Every sheet of `path` as rows of cell values (JSON), read by openpyxl.
    static func readBack(_ path: String) throws -> [String: [[String?]]] {
        let script = """
            import json, sys, openpyxl
            wb = openpyxl.load_workbook(sys.argv[1])
            out = {}
            for ws in wb:
                rows = []
                for row in ws.iter_rows():
                    cells = []
                    for c in row:
                        v = c.value
                        if c.hyperlink is not None: v = c.hyperlink.target
                        cells.append(None if v is None else (str(int(v)) if isinstance(v, float) and v == int(v) else str(v)))
                    rows.append(cells)
                out[ws.title] = rows
            print(json.dumps(out))
            """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script, path]
        let pipe = Pipe(), errors = Pipe()
        p.standardOutput = pipe
        p.standardError = errors
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw ReadBackError(description: String(decoding: err, as: UTF8.self)
                + " (openpyxl missing? scripts/install-deps installs it)")
        }
        return try JSONDecoder().decode([String: [[String?]]].self, from: data)
    }

    @Test func workbookReadsBackWithOneRowPerCaseAndRightTotals() throws {
        let store = try CaseStore(path: ReportsNight.store)
        let filter = CaseFilter()
        let book = try CaseWorkbook.build(store, filter: filter, linkBase: "http://review.example:8080/")
        let path = NSTemporaryDirectory() + "muckwatch-\(UUID().uuidString).xlsx"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try XLSXWorkbook.write(book, to: path)
        let sheets = try Self.readBack(path)

        let listed = try store.listCases(filter)
        let cases = try #require(sheets[CaseWorkbook.casesSheet])
        #expect(cases.count == listed.count + 1)
        #expect(cases.dropFirst().map { $0[0] } == listed.map(\.caseID))
        #expect(cases[1][10] == "http://review.example:8080/cases/" + listed[0].caseID)
        let stored = try listed.map { try #require(try store.loadCase(id: $0.caseID)) }
        let violations = try #require(sheets[CaseWorkbook.violationsSheet])
        #expect(violations.count == stored.reduce(0) { $0 + $1.violations.count } + 1)
        // The closed case's last action names who closed it.
        let closed = try #require(cases.first { $0[8] == "closed" })
        #expect(closed[9]?.contains("li: status resolved → closed") == true)

        let stats = try #require(sheets[CaseWorkbook.statisticsSheet])
        func figure(_ a: String, _ b: String) -> Int? { stats.first { $0[0] == a && $0[1] == b }.flatMap { $0[2] }.flatMap { Int($0) } }
        #expect(figure("total", "cases") == listed.count)
        #expect(figure("total", "violations") == violations.count - 1)
        #expect(figure("cases by status", "dismissed") == 2)
        #expect(figure("cases by status", "closed") == 1)
        let byType = stats.filter { $0[0] == "violations by type" }.compactMap { $0[2].flatMap { Int($0) } }
        #expect(byType.reduce(0, +) == violations.count - 1)

        let funnel = try #require(sheets[CaseWorkbook.funnelSheet])
        let total = try #require(funnel.first { $0[0] == "total" })
        #expect(total[5] == String(listed.count))
        #expect(total[6] == "3")
        #expect(total[7] == "1")
        #expect(total[8] == "2")
        #expect(funnel.first { $0[0] == "dismissal reason" }?[1] == "approved detour")
        let days = funnel.filter { $0[0] == "day" }.compactMap { $0[5].flatMap { Int($0) } }
        let weeks = funnel.filter { $0[0] == "week" }.compactMap { $0[5].flatMap { Int($0) } }
        #expect(days.reduce(0, +) == listed.count)
        #expect(weeks.reduce(0, +) == listed.count)

        let league = try #require(sheets[CaseWorkbook.leagueSheet])
        for dimension in LeagueDimension.allCases {
            let rows = league.filter { $0[0] == dimension.rawValue }
            let table = try LeagueTable.load(store, dimension)
            #expect(rows.map { $0[2] } == table.rows.map(\.name))
            #expect(rows.map { $0[1] } == table.rows.map { String($0.rank) })
        }
        // Every trip and violation of the store is in exactly one company and one vehicle row.
        for dimension in [LeagueDimension.company, .vehicle] {
            let rows = league.filter { $0[0] == dimension.rawValue }
            #expect(rows.compactMap { $0[4].flatMap { Int($0) } }.reduce(0, +) == violations.count - 1)
            #expect(rows.compactMap { $0[3].flatMap { Int($0) } }.reduce(0, +)
                    == (try LeagueTable.load(store, .vehicle).rows.reduce(0) { $0 + $1.trips }))
        }
        #expect(!league.filter { $0[0] == "driver" }.isEmpty)
    }

    @Test func sameFiltersGiveTheSameBytes() throws {
        let store = try CaseStore(path: ReportsNight.store)
        let filter = CaseFilter(department: "city_management")
        let a = try XLSXWorkbook.bytes(of: try CaseWorkbook.build(store, filter: filter, linkBase: "http://x"))
        let b = try XLSXWorkbook.bytes(of: try CaseWorkbook.build(store, filter: filter, linkBase: "http://x"))
        #expect(a == b)
        #expect(a.starts(with: [0x50, 0x4B, 0x03, 0x04]))  // a zip container
    }

    @Test func badSheetNameIsRefusedWithItsName() throws {
        let path = NSTemporaryDirectory() + "muckwatch-\(UUID().uuidString).xlsx"
        let book = SheetBook(sheets: [Sheet(name: "a/b", header: ["x"])], created: 0, title: "t")
        #expect(throws: XLSXError.self) { try XLSXWorkbook.write(book, to: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
        do { try XLSXWorkbook.write(book, to: path) } catch { #expect(error.description.contains("a/b")) }
    }

    @Test func unwritableFolderIsNamed() throws {
        let book = SheetBook(sheets: [Sheet(name: "s", header: ["x"])], created: 0, title: "t")
        do {
            try XLSXWorkbook.write(book, to: "/nonexistent-folder/x.xlsx")
            Issue.record("wrote into a folder that does not exist")
        } catch { #expect(error.description.contains("/nonexistent-folder/x.xlsx")) }
    }
}

struct ReadBackError: Error, CustomStringConvertible {
    let description: String
}

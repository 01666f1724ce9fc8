import ArgumentParser
import MuckWatchBatch
import MuckWatchReports
import MuckWatchStore

struct CasesExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export cases as GeoJSON (tracks, dump points, violations, camera reads, sites) for QGIS, "
            + "or as an Excel workbook (cases, violations, statistics, funnel, league tables).")

    @OptionGroup var store: StoreOption
    @OptionGroup var filters: CaseFilterOptions
    @Option(help: ArgumentHelp("Where to write the GeoJSON FeatureCollection.", valueName: "file"))
    var geojson: String?
    @Option(help: ArgumentHelp("Where to write the Excel workbook (.xlsx); the review app's download of the same "
        + "filters is the same file.", valueName: "file"))
    var xlsx: String?
    @Option(help: ArgumentHelp("The review app's address, for the workbook's links to case pages.", valueName: "url"))
    var linkBase = "http://127.0.0.1:8080"

    func validate() throws {
        guard geojson != nil || xlsx != nil else {
            throw ValidationError("Say what to write: --geojson FILE, --xlsx FILE or both.")
        }
    }

    func run() throws {
        let s = try store.open()
        do {
            if let geojson {
                let ids = try s.listCases(filters.filter, limit: nil).map(\.caseID)
                let text = try CaseGeoJSON.export(s, caseIDs: ids)
                try AtomicFile.write(Array(text.utf8), to: geojson)
                print("wrote \(ids.count) case\(ids.count == 1 ? "" : "s") to \(geojson)")
            }
            if let xlsx {
                let book = try CaseWorkbook.build(s, filter: filters.filter, linkBase: linkBase)
                try XLSXWorkbook.write(book, to: xlsx)
                let n = book.sheets.first?.rows.count ?? 0
                print("wrote \(n) case\(n == 1 ? "" : "s") to \(xlsx)")
            }
        } catch { throw CLIError("\(error)") }
    }
}

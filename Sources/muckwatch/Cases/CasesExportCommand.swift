import ArgumentParser
import MuckWatchBatch
import MuckWatchStore

struct CasesExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export cases as GeoJSON (tracks, dump points, violations, camera reads, sites) for QGIS.")

    @OptionGroup var store: StoreOption
    @OptionGroup var filters: CaseFilterOptions
    @Option(help: ArgumentHelp("Where to write the GeoJSON FeatureCollection.", valueName: "file"))
    var geojson: String

    func run() throws {
        let s = try store.open()
        do {
            let ids = try s.listCases(filters.filter, limit: nil).map(\.caseID)
            let text = try CaseGeoJSON.export(s, caseIDs: ids)
            try AtomicFile.write(Array(text.utf8), to: geojson)
            print("wrote \(ids.count) case\(ids.count == 1 ? "" : "s") to \(geojson)")
        } catch { throw CLIError("\(error)") }
    }
}

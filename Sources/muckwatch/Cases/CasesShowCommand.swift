import ArgumentParser
import MuckWatchCore
import MuckWatchBatch
import MuckWatchStore

struct CasesShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show one case: the source → route → dump chain, evidence and audit trail.")

    @OptionGroup var store: StoreOption
    @Argument(help: "The case id (C-YYYYMMDD-XXXXXXXX).")
    var id: String

    func run() throws {
        let s = try store.open()
        do {
            guard let c = try s.loadCase(id: id) else {
                throw CLIError("no case \(id) in \(store.db) (see `muckwatch cases list --db \(store.db)`)")
            }
            let track = try s.track(caseID: id)
            let ids = c.violations.flatMap(\.evidence.cameraEvents)
            let from = min(track.first?.time ?? .max, c.violations.map(\.start).min() ?? .max) - 300
            let to = max(track.last?.time ?? .min, c.violations.map(\.end).max() ?? .min) + 300
            let cameras = try s.cameraEvents(ids: ids, plate: c.vehicleID, from: from, to: to)
            print(CaseText.render(c, track: track, cameras: cameras, clock: s.clock), terminator: "")
        } catch let e as CLIError { throw e } catch { throw CLIError("\(store.db): \(error)") }
    }
}

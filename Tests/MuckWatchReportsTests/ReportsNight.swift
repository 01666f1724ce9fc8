import Foundation
import MuckWatchBatch
import MuckWatchCore
import MuckWatchStore
import MuckWatchTestSupport

/// The bundled sample night with its manifests and gate records, analyzed through the real
/// pipeline once per process, then worked by an officer: the first three cases (by date and id)
/// dispatched, the first resolved and closed, the next two open cases dismissed with reasons.
enum ReportsNight {
    static let store: String = {
        let dir = NSTemporaryDirectory() + "muckwatch-reports-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let o = AnalysisOptions(references: BundledSample.references(chain: true), traces: [BundledSample.traces],
                                out: dir)
        try! Analysis.write(try! Analysis.run(o), to: dir)
        let path = dir + "/muckwatch.sqlite"
        let s = try! CaseStore(path: path)
        let ids = try! s.listCases(CaseFilter()).map(\.caseID).sorted()
        for id in ids.prefix(3) { try! s.setStatus(caseID: id, to: .dispatched, actor: "wang", note: nil) }
        try! s.setStatus(caseID: ids[0], to: .resolved, actor: "wang", note: "fined 2000 yuan")
        try! s.setStatus(caseID: ids[0], to: .closed, actor: "li", note: nil)
        try! s.setStatus(caseID: ids[3], to: .dismissed, actor: "wang", note: "approved detour")
        try! s.setStatus(caseID: ids[4], to: .dismissed, actor: "wang", note: "approved detour")
        return path
    }()
}

import Foundation
import MuckWatchJournal

/// Every path a run names, checked before any data is read: a missing fences file must not
/// wait for a province's traces to be parsed first, and a user fixing their command line
/// wants every problem at once, not one per attempt.
///
/// Only what can be told without reading: that each input exists, is a file (the fences may
/// be a folder) and can be opened for reading, and that the output folder is a folder or can
/// be made. What the files hold is the readers' to judge.
public enum InputPreflight {
    /// The problems, in the order the run reads its inputs (config, fences, vehicles,
    /// permits, cameras, manifests, gate events, traces), then the output folder; empty
    /// when the run can start. Each names the file, the option that gave it, what is wrong
    /// and what to do.
    public static func problems(_ o: AnalysisOptions) -> [String] {
        var out: [String] = []
        func check(_ path: String?, _ option: String, folderAllowed: Bool = false) {
            guard let path else { return }
            var isFolder: ObjCBool = false
            if !FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
                out.append("\(path): no such file or directory (\(option)): correct the path")
            } else if isFolder.boolValue && !folderAllowed {
                out.append("\(path): is a folder, expected a file (\(option)): name a file inside it")
            } else if !FileManager.default.isReadableFile(atPath: path) {
                out.append("\(path): cannot read: permission denied (\(option)): make it readable (chmod a+r) or run as its owner")
            }
        }
        check(o.config, "--config")
        check(o.fences, "--fences", folderAllowed: true)
        check(o.vehicles, "--vehicles")
        check(o.permits, "--permits")
        check(o.cameras, "--cameras")
        check(o.manifests, "--manifests")
        check(o.gateEvents, "--gate-events")
        // A journal day directory (issue #24) is a traces input too.
        for t in o.traces { check(t, "--traces", folderAllowed: JournalDay.segments(of: t) != nil) }
        if let p = outputProblem(o.out) { out.append(p) }
        return out
    }

    /// Why `--out` cannot hold the results: it is a file, or no folder can be made there.
    private static func outputProblem(_ path: String) -> String? {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
            if !isFolder.boolValue { return "\(path): the output folder is a file (--out): name a folder, or move the file away" }
            if !FileManager.default.isWritableFile(atPath: path) {
                return "\(path): the output folder is not writable (--out): make it writable or name another folder"
            }
            return nil
        }
        // Made with its missing parents: the nearest existing ancestor must be a writable folder.
        var ancestor = (path as NSString).deletingLastPathComponent
        while !ancestor.isEmpty, !FileManager.default.fileExists(atPath: ancestor, isDirectory: &isFolder) {
            ancestor = (ancestor as NSString).deletingLastPathComponent
        }
        if ancestor.isEmpty { ancestor = FileManager.default.currentDirectoryPath }
        _ = FileManager.default.fileExists(atPath: ancestor, isDirectory: &isFolder)
        if !isFolder.boolValue {
            return "\(path): cannot create the output folder: \(ancestor) is a file (--out): name a folder elsewhere"
        }
        if !FileManager.default.isWritableFile(atPath: ancestor) {
            return "\(path): cannot create the output folder: \(ancestor) is not writable (--out): name a folder you can write to"
        }
        return nil
    }

    /// One problem as the line it is; several as a count and one indented line each.
    public static func message(_ problems: [String]) -> String {
        problems.count == 1 ? problems[0]
            : "\(problems.count) problems with the inputs (nothing was read):\n" + problems.map { "  " + $0 }.joined(separator: "\n")
    }
}

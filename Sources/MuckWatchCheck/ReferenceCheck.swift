import Foundation
public import MuckWatchCore
import MuckWatchIngest
import MuckWatchGeo

/// `muckwatch check`: a deployment's reference data checked the way real deployments
/// fail — fences, permits, vehicles, cameras, manifests, gate records, and (given
/// traces) the fences against where the trucks actually drive and stop.
public enum ReferenceCheck {
    /// Everything but the traces, in the order a user fixes them (fences first: the other
    /// files are checked against them). Cheap: what `analyze` warns about before its run.
    public static func references(_ files: ReferenceFiles) -> CheckReport {
        let fenceChecks = FenceChecks(path: files.fences)
        var fences = fenceChecks.fences
        if files.fenceCoords == .gcj02 { fences = fences.map(DatumShift.gcj02ToWGS84) }
        var records = RecordChecks(fences: fences)
        if let v = files.vehicles { records.vehicles(v) }
        if let p = files.permits { records.permits(p) }
        if let m = files.manifests { records.manifests(m) }
        if let g = files.gateEvents { records.gateEvents(g) }
        if let c = files.cameras { records.cameras(c) }
        var problems = fenceChecks.problems + records.problems
        if let c = files.config {
            do { _ = try ConfigReader.read(path: c) } catch {
                problems.append(ReferenceProblem(.unusableFile, file: c, FenceChecks.reason(error),
                                                 remedy: "fix the config as docs/configuration.md describes"))
            }
        }
        return CheckReport(problems: problems, fences: fences, fenceOrigin: fenceChecks.origin)
    }

    /// The whole check: the references, then (given traces) the datum and the checkpoints.
    public static func run(_ files: ReferenceFiles, traces: [String] = [], traceCoords: Datum = .wgs84) -> CheckReport {
        var report = references(files)
        guard !traces.isEmpty else { return report }
        var t = TraceChecks(traces: traces, datum: traceCoords)
        let placed = t.checkDatum(report.fences, fencesPath: files.fences, traces: traces, fenceDatum: files.fenceCoords,
                                  traceDatum: traceCoords)
        t.checkCheckpoints(placed, origin: report.fenceOrigin)
        report.problems += t.problems
        report.fixes = t.fixes
        return report
    }
}

/// What a check found, and what it looked at.
public struct CheckReport: Sendable {
    public var problems: [ReferenceProblem]
    /// The usable fences in WGS84 (as the datum flags place them).
    public var fences: [Fence]
    var fenceOrigin: [String: String]
    /// Fixes read from the traces (0 without traces).
    public var fixes = 0

    init(problems: [ReferenceProblem], fences: [Fence], fenceOrigin: [String: String]) {
        self.problems = problems
        self.fences = fences
        self.fenceOrigin = fenceOrigin
    }

    public var isClean: Bool { problems.isEmpty }

    /// For people: one block per problem, then a count.
    public var text: String {
        let head = problems.map(\.text).joined(separator: "\n")
        let tail = problems.isEmpty ? "no problems found (\(fences.count) fences"
            + (fixes > 0 ? ", \(fixes) fixes" : "") + ")"
            : "\(problems.count) problem(s) found"
        return head.isEmpty ? tail : head + "\n" + tail
    }

    /// For scripts: `{"problems": [...], "fences": n, "fixes": n}`, keys sorted.
    public var json: String {
        struct Body: Encodable {
            var problems: [ReferenceProblem]
            var fences: Int
            var fixes: Int
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(Body(problems: problems, fences: fences.count, fixes: fixes))) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

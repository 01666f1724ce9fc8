import ArgumentParser
import Foundation
import MuckWatchCore
import MuckWatchCheck

/// `muckwatch check`: a deployment's reference data, checked before the first night is analyzed.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check fences, permits, vehicles, cameras, manifests and gate records before analyzing.",
        discussion: """
            Reports each problem with its file, the feature or line, and what to do: fences \
            analyze would refuse, self-intersecting or unclosed polygons, overlapping disposal \
            sites, duplicate ids, permits, manifests and gate records naming sites or routes \
            no fence has, plates the registry lacks, vehicles without a terminal id, camera \
            reads from unknown checkpoints. Given --traces, also whether the fences sit where \
            the trucks stop (a GCJ-02/WGS84 datum mismatch moves them 300-600 m; the flag \
            that fixes it is named) and whether each checkpoint lies on a road the trucks drove.
            Exit status: 0 no problems, 1 problems found, 64 bad command line.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Option(help: ArgumentHelp("Geofences: a GeoJSON file or a folder of them.", valueName: "dir-or-file"))
    var fences: String
    @Option(help: ArgumentHelp("Disposal permits (JSON array or JSON Lines).", valueName: "file"))
    var permits: String?
    @Option(help: ArgumentHelp("Vehicle registry CSV.", valueName: "file"))
    var vehicles: String?
    @Option(help: ArgumentHelp("Checkpoint camera events (JSON Lines).", valueName: "file"))
    var cameras: String?
    @Option(help: ArgumentHelp("Manifests (电子联单).", valueName: "file"))
    var manifests: String?
    @Option(name: .customLong("gate-events"), help: ArgumentHelp("Site gate records.", valueName: "file"))
    var gateEvents: String?
    @Option(help: ArgumentHelp("Analysis config (JSON).", valueName: "file"))
    var config: String?
    @Option(parsing: .upToNextOption,
            help: ArgumentHelp("GPS traces: check the fences' datum and the checkpoints against the tracks.", valueName: "file"))
    var traces: [String] = []
    @Option(name: .customLong("fence-coords"), help: "Datum of the fence coordinates, as for analyze: wgs84 or gcj02.")
    var fenceCoords: Datum = .wgs84
    @Option(name: .customLong("trace-coords"), help: "Datum of the trace coordinates, as for analyze: wgs84 or gcj02.")
    var traceCoords: Datum = .wgs84
    @Option(help: "Output: text (for people) or json (for scripts).")
    var format: Format = .text

    func run() throws {
        let files = ReferenceFiles(fences: fences, cameras: cameras, permits: permits, vehicles: vehicles, config: config,
                                   manifests: manifests, gateEvents: gateEvents, fenceCoords: fenceCoords)
        let report = ReferenceCheck.run(files, traces: traces, traceCoords: traceCoords)
        print(format == .json ? report.json : report.text)
        if !report.isClean { throw ExitCode(1) }
    }
}

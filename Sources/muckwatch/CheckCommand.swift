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

    @OptionGroup var references: ReferenceOptions

    @Option(parsing: .upToNextOption,
            help: ArgumentHelp("GPS traces: check the fences' datum and the checkpoints against the tracks.", valueName: "file"))
    var traces: [String] = []

    @Option(help: "Output: text (for people) or json (for scripts).")
    var format: Format = .text

    func run() throws {
        let report = ReferenceCheck.run(references.files, traces: traces, traceCoords: references.traceCoords)
        print(format == .json ? report.json : report.text)
        if !report.isClean { throw ExitCode(1) }
    }
}

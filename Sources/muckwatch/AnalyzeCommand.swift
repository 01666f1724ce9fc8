public import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import MuckWatchCore
import MuckWatchBatch
import MuckWatchJudge
import MuckWatchCheck
import MuckWatchStore

extension Datum: ExpressibleByArgument {}

/// `muckwatch analyze`: one night (or day) of data in, trips, cases and a store out.
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Find trips, violations and cases in GPS traces.",
        discussion: """
            Writes into --out: muckwatch.sqlite (the case store), cases.json, trips.json, \
            rejects.csv (every input row that could not be used, with file, line and reason) \
            and summary.json. Bad rows never stop the run; the exit status is non-zero only \
            when the run could not complete (missing file, fences that are not GeoJSON, ...).
            """)

    @OptionGroup var references: ReferenceOptions

    @Option(parsing: .upToNextOption,
            help: ArgumentHelp("GPS traces: CSV or JSON Lines files (detected by content); several allowed.", valueName: "file"))
    var traces: [String]

    @Option(help: ArgumentHelp("Output folder (created if missing).", valueName: "dir"))
    var out: String

    @Option(help: ArgumentHelp("The case store: a SQLite file or postgres://user:pass@host:port/db[?sslmode=require] "
                               + "(default: muckwatch.sqlite in --out).", valueName: "path-or-url"))
    var db: String?

    @Flag(name: .shortAndLong, help: "No progress lines on stderr.")
    var quiet = false

    @Option(help: "Worker threads for projection and per-vehicle analysis (default: one per core).")
    var threads: Int?

    @OptionGroup var scaleOut: PartitionOptions

    func validate() throws {
        if traces.isEmpty { throw ValidationError("--traces needs at least one file") }
    }

    func run() throws {
        #if canImport(Glibc)
        // The pipeline allocates large arrays on several threads (parse workers, read-ahead,
        // bucket feeder, bucket prefetch). glibc's defaults keep freed memory: one arena
        // per thread, and a mmap threshold that rises after the first large free, so
        // later multi-megabyte arrays come from (and stay in) the heap. Two arenas and a
        // fixed 8 MB threshold (large arrays are mapped and returned when freed) took the
        // peak RSS of a 10M-fix night from ~600 to ~450 MB for ~1% more system time.
        // (`mallopt` is not in the Swift Glibc module; see malloc.h for the constants.)
        if let symbol = dlsym(nil, "mallopt") {
            typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
            let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
            _ = mallopt(-8, 2)  // M_ARENA_MAX
            _ = mallopt(-3, 8 << 20)  // M_MMAP_THRESHOLD
        }
        #endif
        var o = AnalysisOptions(references: references.files, traces: traces, out: out)
        o.traceCoords = references.traceCoords
        o.threads = threads ?? 0
        o.store = db
        o.partition = scaleOut.partition
        o.nightSpan = scaleOut.nightSpan?.range
        if scaleOut.spanOnly { return try scaleOut.printSpan(o) }
        let progress = RunProgress.standardError(quiet: quiet)
        let t0 = Date()
        Self.warnAboutReferences(o)
        do {
            var analyzed = Date()
            let run = try Analysis.runAndWrite(o, progress: progress) { run in
                for w in run.summary.warnings { FileHandle.standardError.write(Data("warning: \(w)\n".utf8)) }
                analyzed = Date()
            }
            let written = Date().timeIntervalSince(analyzed)
            let s = run.summary
            let seconds = Date().timeIntervalSince(t0)
            let rate = seconds > 0 ? Int(Double(s.fixesRead) / seconds) : 0
            print("""
                muckwatch: \(s.fixesRead) fixes read (\(s.fixesRejected) rejected, \(s.fixesDuplicate) duplicate, \
                \(s.fixesOutlier) outliers), \(s.vehicles) vehicles, \(s.trips) trips, \(s.cases) cases \
                in \(String(format: "%.2f", seconds)) s (\(rate) fixes/s; writing outputs and store \(String(format: "%.2f", written)) s)
                results in \(out)/: cases.json trips.json rejects.csv summary.json\(db.map { "; store \((try? StoreLocation(parsing: $0).description) ?? $0)" } ?? " muckwatch.sqlite")\(o.partition.map { " (partition \($0))" } ?? "")
                """)
            if let c = s.chain {
                let closed = String(format: "%.1f", c.closureRate * 100), recycled = String(format: "%.1f", c.recyclingRate * 100)
                print("manifests: \(c.manifestsOpened) opened, \(c.manifestsClosed) closed (\(closed) %), "
                      + "\(c.tripsWithoutManifest) trips without one; recycling rate \(recycled) %")
            }
            Analysis.releaseInBackground(run)  // the night's trips and cases: the process is about to exit
        } catch {
            progress.stop()
            FileHandle.standardError.write(Data("muckwatch analyze: \(error.description)\n".utf8))
            throw ExitCode(2)
        }
    }

    /// What `muckwatch check` finds in the references without the traces, as warnings on
    /// stderr before the run (the outputs stay as they are). Left out: what the run itself
    /// stops at (unusable files and fences, duplicate fence ids), rejects (rejects.csv) and
    /// the unknown sites and checkpoints its summary already warns about.
    static func warnAboutReferences(_ o: AnalysisOptions) {
        guard InputPreflight.problems(o).isEmpty else { return }  // the run reports those, all at once
        // The event files are the run's to read (a city night's manifests took 0.2–0.3 s to
        // read twice, before the run could start: issue #19); their unknown plates and sites are
        // in the run's own warnings (`InputChecks`).
        var files = o.referenceFiles
        files.cameras = nil
        files.gateEvents = nil
        files.manifests = nil
        let warned: Set<ReferenceProblem.Kind> = [.invalidPolygon, .unclosedRing, .overlappingDisposalSites,
                                                  .missingTerminal, .unknownVehicle]
        for p in ReferenceCheck.references(files).problems where warned.contains(p.kind) {
            FileHandle.standardError.write(Data("warning: \(p.text)\n".utf8))
        }
    }
}

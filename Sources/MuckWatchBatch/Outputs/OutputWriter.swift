import Dispatch
public import MuckWatchCore

/// Writes the run's interchange files (contract section 7): `trips.json`, `cases.json`,
/// `rejects.csv`, `summary.json`, each replaced atomically so a reader never sees half a file.
///
/// The `…Bytes` builders are separate from the writers so tests and other front ends can
/// get the exact text without touching the disk.
public enum OutputWriter {
    public static let tripsFile = "trips.json"
    public static let casesFile = "cases.json"
    public static let rejectsFile = "rejects.csv"
    public static let summaryFile = "summary.json"

    /// Decimal places: coordinates ~0.1 m, distances to the metre, tonnes to 10 kg.
    public static let coordinateDecimals = JSONWriter.coordinateDecimals
    public static let kmDecimals = JSONWriter.kmDecimals
    public static let tonneDecimals = JSONWriter.tonneDecimals

    // MARK: writers (directory in, written path out)

    /// Writes `trips.json` into `directory`; returns its path.
    @discardableResult
    public static func writeTrips(_ run: RunResult, to directory: String) throws(OutputError) -> String {
        try write(tripsBytes(run), directory, tripsFile)
    }

    /// Writes `cases.json` into `directory`; returns its path.
    @discardableResult
    public static func writeCases(_ run: RunResult, to directory: String) throws(OutputError) -> String {
        try write(casesBytes(run), directory, casesFile)
    }

    /// Writes `rejects.csv` into `directory`; returns its path.
    @discardableResult
    public static func writeRejects(_ run: RunResult, to directory: String) throws(OutputError) -> String {
        try write(rejectsBytes(run.rejects), directory, rejectsFile)
    }

    /// Writes `summary.json` into `directory`; returns its path.
    @discardableResult
    public static func writeSummary(_ run: RunResult, to directory: String) throws(OutputError) -> String {
        try write(summaryBytes(run.summary), directory, summaryFile)
    }

    /// All four files: trips, cases and rejects side by side (each is built and flushed to
    /// disk on its own thread, so their fsyncs overlap), then the summary, only once the
    /// other three are in place. The first failure in that order is thrown.
    /// - Parameter written: called as each file is in place (for progress).
    public static func writeAll(_ run: RunResult, to directory: String,
                                written: @Sendable () -> Void = {}) throws(OutputError) {
        let failures = ResultSlots<OutputError>(count: 3)
        DispatchQueue.concurrentPerform(iterations: 3) { k in
            do throws(OutputError) {
                switch k {
                case 0: try writeTrips(run, to: directory)
                case 1: try writeCases(run, to: directory)
                default: try writeRejects(run, to: directory)
                }
                written()
            } catch {
                failures[k] = error
            }
        }
        for k in 0..<3 { if let e = failures[k] { throw e } }
        try writeSummary(run, to: directory)
        written()
    }

    /// The files `writeAll` writes.
    public static let fileCount = 4

    private static func write(_ bytes: [UInt8], _ directory: String, _ name: String) throws(OutputError) -> String {
        let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
        try AtomicFile.write(bytes, to: path)
        return path
    }

    /// A trip's source → dump chain (`JSONWriter.tripChain`).
    private static func writeChain(_ t: Trip, clock: LocalClock, into w: inout JSONWriter) {
        w.tripChain(sourceSite: t.sourceSite, loadedAt: t.loadedAt, disposalSite: t.disposalSite, dumpLon: t.dumpLon,
                    dumpLat: t.dumpLat, dumpedAt: t.dumpedAt, clock: clock)
    }

    // MARK: trips.json (section 9)

    public static func tripsBytes(_ run: RunResult) -> [UInt8] {
        var w = JSONWriter(reservingCapacity: run.trips.count * 320, linePerTopLevelElement: true)
        let clock = run.clock
        w.beginArray()
        // By index: a trip bound whole is a copy of its strings (issue #19).
        let trips = run.trips
        for k in trips.indices {
            w.beginObject()
            w.field("vehicle_id", run.plates[trips[k].vehicle])
            writeChain(trips[k], clock: clock, into: &w)
            w.field("distance_km", number: trips[k].distanceKm, decimals: kmDecimals)
            w.field("load_t", number: trips[k].loadT, decimals: tonneDecimals)
            w.field("permit_id", trips[k].permitID)
            w.field("case_id", trips[k].caseID)
            if run.summary.chain != nil {
                w.field("manifest_id", trips[k].manifestID)
                w.field("received_t", number: trips[k].receivedT, decimals: tonneDecimals)
            }
            w.endObject()
        }
        w.endArray()
        w.bytesAppendNewline()
        return w.bytes
    }

    // MARK: cases.json (section 8)

    public static func casesBytes(_ run: RunResult) -> [UInt8] {
        var w = JSONWriter(reservingCapacity: run.cases.count * 1024, linePerTopLevelElement: true)
        let clock = run.clock
        let chain = run.summary.chain != nil
        w.beginArray()
        for c in run.cases {
            w.beginObject()
            w.caseFields(c, clock: clock, chain: chain)
            w.endObject()
        }
        w.endArray()
        w.bytesAppendNewline()
        return w.bytes
    }

    // MARK: summary.json (section 11)

    public static func summaryBytes(_ s: Summary) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.field("fixes_read", integer: s.fixesRead)
        w.field("fixes_accepted", integer: s.fixesAccepted)
        w.field("fixes_rejected", integer: s.fixesRejected)
        w.field("fixes_duplicate", integer: s.fixesDuplicate)
        w.field("fixes_outlier", integer: s.fixesOutlier)
        w.field("vehicles", integer: s.vehicles)
        w.field("trips", integer: s.trips)
        w.field("cases", integer: s.cases)
        w.key("violations_by_type")
        w.beginObject()
        for t in ViolationType.allCases where s.chain != nil || !t.isChain {
            w.field(t.rawValue, integer: s.violationsByType[t] ?? 0)
        }
        w.endObject()
        w.key("tonnes_by_source_site")
        writeTonnes(s.tonnesBySourceSite, into: &w)
        w.key("tonnes_by_disposal_site")
        writeTonnes(s.tonnesByDisposalSite, into: &w)
        w.field("other_rows_rejected", integer: s.otherRejected)
        w.field("warnings", strings: s.warnings)
        if let c = s.chain { writeChainSummary(c, into: &w) }
        // A partition's counts (issue #23): `muckwatch cases summary` adds the N up.
        if let p = s.partition { w.field("partition", p.description) }
        w.endObject()
        w.bytesAppendNewline()
        return w.bytes
    }

    /// Contract section 12's statistics, beside the v1 counts.
    private static func writeChainSummary(_ c: ChainSummary, into w: inout JSONWriter) {
        w.field("manifests_opened", integer: c.manifestsOpened)
        w.field("manifests_closed", integer: c.manifestsClosed)
        w.field("manifest_closure_rate", number: c.closureRate, decimals: 4)
        w.field("trips_without_manifest", integer: c.tripsWithoutManifest)
        w.key("tonnes_by_facility")
        writeTonnes(Dictionary(uniqueKeysWithValues: c.tonnesByFacility.map { ($0.key.rawValue, $0.value) }), into: &w)
        w.field("recycling_rate", number: c.recyclingRate, decimals: 4)
        w.key("tonnes_by_waste_type")
        writeTonnes(Dictionary(uniqueKeysWithValues: c.tonnesByWasteType.map { ($0.key.rawValue, $0.value) }), into: &w)
    }

    private static func writeTonnes(_ table: [String: Double], into w: inout JSONWriter) {
        w.beginObject()
        for site in table.keys.sorted() { w.field(site, number: table[site], decimals: tonneDecimals) }
        w.endObject()
    }

    // MARK: rejects.csv (section 11)

    /// `file,line,reason` with RFC 4180 quoting (only fields holding a comma, quote, CR or LF
    /// are quoted; quotes doubled). Lines end with LF.
    public static func rejectsBytes(_ rejects: [Reject]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(32 + rejects.count * 64)
        out.append(contentsOf: "file,line,reason\n".utf8)
        for r in rejects {
            appendCSVField(r.file, to: &out)
            out.append(UInt8(ascii: ","))
            out.append(contentsOf: String(r.line).utf8)
            out.append(UInt8(ascii: ","))
            appendCSVField(r.reason, to: &out)
            out.append(0x0A)
        }
        return out
    }

    static func appendCSVField(_ s: String, to out: inout [UInt8]) {
        let needsQuotes = s.utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
        guard needsQuotes else {
            out.append(contentsOf: s.utf8)
            return
        }
        out.append(0x22)
        for b in s.utf8 {
            if b == 0x22 { out.append(0x22) }
            out.append(b)
        }
        out.append(0x22)
    }
}

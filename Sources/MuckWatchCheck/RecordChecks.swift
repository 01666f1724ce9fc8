import MuckWatchCore
import MuckWatchIngest

/// The files that refer to fences and vehicles: each read as `analyze` reads it (its
/// rejects become problems), then every id it names looked up.
struct RecordChecks {
    private(set) var problems: [ReferenceProblem] = []
    private let fenceKinds: [String: FenceKind]
    private let fenceIDs: [String]
    /// `nil` without a registry: plates are then not checked.
    private var registry: Set<String>?

    init(fences: [Fence]) {
        fenceKinds = Dictionary(fences.map { ($0.id, $0.kind) }, uniquingKeysWith: { a, _ in a })
        fenceIDs = fences.map(\.id)
    }

    /// Reads one file with `read`; a file-level failure is one problem, each reject another.
    private mutating func load<T>(_ path: String, format: String,
                                  _ read: (String, inout [Reject]) throws(IngestError) -> T) -> T? {
        var rejects: [Reject] = []
        let value: T
        do { value = try read(path, &rejects) } catch {
            problems.append(ReferenceProblem(.unusableFile, file: path, FenceChecks.reason(error),
                                             remedy: "fix the file as docs/formats.md describes \(format)"))
            return nil
        }
        for r in rejects {
            let duplicate = r.reason.hasPrefix("duplicate")
            problems.append(ReferenceProblem(
                duplicate ? .duplicateID : .unusableRecord, file: r.file, at: "line \(r.line)", r.reason,
                remedy: duplicate ? "keep one record per id: analyze uses the first and rejects the others"
                    : "correct the record: analyze skips it (it is listed in rejects.csv)"))
        }
        return value
    }

    mutating func vehicles(_ path: String) {
        guard let list = load(path, format: "the vehicle registry", { p, r throws(IngestError) in
            try VehicleReader.read(path: p, rejects: &r)
        }) else { return }
        registry = Set(list.map(\.id))
        for v in list where v.terminalID == nil {
            problems.append(ReferenceProblem(
                .missingTerminal, file: path, at: "vehicle \(v.id)", "no terminal_id",
                remedy: "fill in the JT/T 808 terminal phone number: the gateway and JT/T 808 captures cannot name the truck without it"))
        }
    }

    mutating func permits(_ path: String) {
        guard let list = load(path, format: "permits", { p, r throws(IngestError) in
            try PermitReader.read(path: p, rejects: &r)
        }) else { return }
        for p in list {
            let at = "permit \(p.id)"
            site(p.sourceSite, .constructionSite, field: "source_site", file: path, at: at)
            site(p.disposalSite, .disposalSite, field: "disposal_site", file: path, at: at)
            if let r = p.route { site(r, .route, field: "route", file: path, at: at) }
            plates(p.vehicles, file: path, at: at)
        }
    }

    mutating func manifests(_ path: String) {
        guard let list = load(path, format: "manifests (section 12)", { p, r throws(IngestError) in
            try ManifestReader.read(path: p, rejects: &r)
        }) else { return }
        let first = problems.count
        for m in list {
            let at = "manifest \(m.id)"
            site(m.sourceSite, .constructionSite, field: "source_site", file: path, at: at)
            site(m.disposalSite, .disposalSite, field: "disposal_site", file: path, at: at)
            if let s = m.closedSite { site(s, .disposalSite, field: "closed_site", file: path, at: at) }
            plates([m.vehicleID], file: path, at: at)
        }
        collapse(from: first, records: "manifests")
    }

    mutating func gateEvents(_ path: String) {
        guard let list = load(path, format: "gate events (section 12)", { p, r throws(IngestError) in
            try GateEventReader.read(path: p, rejects: &r)
        }) else { return }
        let first = problems.count
        for e in list where !fenceKinds.isEmpty && fenceKinds[e.site]?.isSite != true {
            problems.append(ReferenceProblem(
                .unknownFence, file: path, at: "gate event \(e.id)",
                "site: '\(e.site)' is no construction or disposal site in the fences",
                remedy: remedy(for: e.site, kind: .constructionSite)))
        }
        collapse(from: first, records: "gate events")
    }

    /// One problem per distinct finding among those from `first` on, at its first record
    /// with the count: a night's manifests or gate passes name the same unknown site or
    /// plate thousands of times, and a list that long hides everything else.
    private mutating func collapse(from first: Int, records: String) {
        var order: [ReferenceProblem] = []
        var counts: [String: Int] = [:]
        for p in problems[first...] {
            let key = p.kind.rawValue + "\u{0}" + p.message
            if counts[key] == nil { order.append(p) }
            counts[key, default: 0] += 1
        }
        problems.removeSubrange(first...)
        for var p in order {
            let n = counts[p.kind.rawValue + "\u{0}" + p.message] ?? 1
            if n > 1 { p.message += " (in \(n) \(records); the first shown)" }
            problems.append(p)
        }
    }

    mutating func cameras(_ path: String) {
        guard let reads = load(path, format: "camera events", { p, r throws(IngestError) in
            try CameraReader.read(path: p, rejects: &r)
        }) else { return }
        for id in Set(reads.checkpointIDs).sorted() where !fenceKinds.isEmpty && fenceKinds[id] != .checkpoint {
            problems.append(ReferenceProblem(
                .unknownCheckpoint, file: path, at: "checkpoint_id \(id)", "no checkpoint fence has this id",
                remedy: remedy(for: id, kind: .checkpoint)))
        }
    }

    private mutating func site(_ id: String, _ kind: FenceKind, field: String, file: String, at: String) {
        // Without usable fences every id would be unknown: the fences' own problem says enough.
        guard !fenceKinds.isEmpty, fenceKinds[id] != kind else { return }
        let what = fenceKinds[id].map { "fence '\(id)' is a \($0.rawValue), not a \(kind.rawValue)" }
            ?? "no fence has the id '\(id)'"
        problems.append(ReferenceProblem(.unknownFence, file: file, at: at, "\(field): \(what)",
                                         remedy: remedy(for: id, kind: kind)))
    }

    private func remedy(for id: String, kind: FenceKind) -> String {
        let known = fenceIDs.filter { fenceKinds[$0] == kind }
        let list = known.prefix(8).joined(separator: ", ") + (known.count > 8 ? ", …" : "")
        return "add a \(kind.rawValue) fence '\(id)' or correct the id"
            + (known.isEmpty ? " (the fences have no \(kind.rawValue))" : " (\(kind.rawValue) ids: \(list))")
    }

    private mutating func plates(_ plates: [String], file: String, at: String) {
        guard let registry else { return }
        let missing = plates.filter { !registry.contains($0) }
        guard !missing.isEmpty else { return }
        problems.append(ReferenceProblem(
            .unknownVehicle, file: file, at: at, "vehicle(s) \(missing.joined(separator: ", ")) not in the vehicle registry",
            remedy: "add them to --vehicles or correct the plate (its spelling must match the traces')"))
    }
}

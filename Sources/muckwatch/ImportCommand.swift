import ArgumentParser
import Foundation
import MuckWatchCore
import MuckWatchIngest
import MuckWatchJudge
import MuckWatchStore

/// `muckwatch import`: manifests and gate records into a case store, where the live
/// gateway picks them up (docs/gateway.md). Until the integration API receives them over
/// HTTP, this is how the platform's records reach a running gateway.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Write manifests and gate records into a case store (the live gateway judges them).",
        discussion: """
            Reads the files as `analyze` does (JSON Lines or a JSON array, docs/formats.md section 12); a bad \
            line is reported as file:line: reason on standard error and skipped. A manifest or gate record \
            already in the store is replaced by id (a closing replaces the open manifest), unless unchanged. \
            A gate record with no plate read belongs to its tag's registered vehicle (--vehicles); one whose \
            tag nobody registered is skipped and counted.
            """)

    @Option(help: ArgumentHelp("Manifests (电子联单).", valueName: "file"))
    var manifests: String?

    @Option(help: ArgumentHelp("Gate records (plate reads, RFID, weighbridge).", valueName: "file"))
    var gateEvents: String?

    @Option(help: ArgumentHelp("Vehicle registry CSV; its rfid column gives a tag-only gate record its vehicle.",
                               valueName: "file"))
    var vehicles: String?

    @Option(help: ArgumentHelp("Analysis config (JSON): its timezone writes the records' local times.",
                               valueName: "file"))
    var config: String?

    @Option(help: ArgumentHelp("Case store (SQLite; created when missing, the gateway's --db), or a postgres:// URL.",
                               valueName: "file-or-url"))
    var db: String

    func validate() throws {
        guard manifests != nil || gateEvents != nil else {
            throw ValidationError("nothing to import: give --manifests, --gate-events or both")
        }
    }

    func run() throws {
        var rejects: [Reject] = []
        var lines: [String] = []
        do {
            let clock = try config.map { try ConfigReader.read(path: $0).clock } ?? Config().clock
            let registry = try vehicles.map { try VehicleReader.read(path: $0, rejects: &rejects) } ?? []
            let read = try manifests.map { try ManifestReader.read(path: $0, rejects: &rejects) }
            let gates = try gateEvents.map { try GateEventReader.read(path: $0, rejects: &rejects) }
            let store = try CaseStore(path: db)
            if let read {
                let written = try store.importManifests(read, clock: clock)
                lines.append("manifests: \(read.count) read, \(written) written, \(read.count - written) unchanged")
            }
            if let gates {
                var refs = References()
                refs.vehicles = registry
                let owners = refs.tagOwners
                let owned = gates.compactMap { e in e.vehicle(tagOwners: owners).map { (vehicle: $0, event: e) } }
                let written = try store.importGateEvents(owned, clock: clock)
                lines.append("gate records: \(gates.count) read, \(written) written, \(owned.count - written) unchanged, "
                             + "\(gates.count - owned.count) without a known vehicle (skipped)")
            }
        } catch let e as IngestError {
            FileHandle.standardError.write(Data("muckwatch import: \(e.description)\n".utf8))
            throw ExitCode(2)
        } catch let e as StoreError {
            FileHandle.standardError.write(Data("muckwatch import: \(db): \(e)\n".utf8))
            throw ExitCode(2)
        }
        for r in rejects { FileHandle.standardError.write(Data("\(r.file):\(r.line): \(r.reason)\n".utf8)) }
        if !rejects.isEmpty { lines.append("rejected lines: \(rejects.count)") }
        print(lines.joined(separator: "\n"))
    }
}

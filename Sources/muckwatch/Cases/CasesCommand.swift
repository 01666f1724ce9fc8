public import ArgumentParser
import Foundation
public import MuckWatchCore
import MuckWatchStore

/// `muckwatch cases`: what officers do with the case store from a terminal.
struct CasesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cases",
        abstract: "List, read, export and work the cases in a case store.",
        subcommands: [CasesListCommand.self, CasesShowCommand.self, CasesExportCommand.self, CasesStatusCommand.self,
                      CasesSummaryCommand.self])
}

/// `--db`, shared by every `cases` subcommand.
struct StoreOption: ParsableArguments {
    @Option(help: ArgumentHelp("The case store written by `muckwatch analyze` (OUT/muckwatch.sqlite), or its "
                               + "PostgreSQL database: postgres://user:pass@host:port/db[?sslmode=require].",
                               valueName: "file-or-url"))
    var db: String

    func open() throws -> CaseStore {
        guard db.hasPrefix("postgres") || FileManager.default.fileExists(atPath: db) else {
            throw CLIError("\(db): no such case store (run `muckwatch analyze --out DIR` first; the store is DIR/muckwatch.sqlite)")
        }
        do { return try CaseStore(path: db) } catch { throw CLIError("\(db): \(error)") }
    }
}

/// Filters shared by `cases list` and `cases export`.
struct CaseFilterOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Only cases with a violation of this type (e.g. illegal_dump).", valueName: "type"))
    var type: ViolationType?
    @Option(help: ArgumentHelp("Only cases routed to this department (city_management, traffic_police, transport, housing_construction).", valueName: "name"))
    var department: String?
    @Option(help: ArgumentHelp("Only cases in this status (open, dispatched, resolved, dismissed, closed).", valueName: "status"))
    var status: Case.Status?
    @Option(help: ArgumentHelp("Only this company's vehicles.", valueName: "name"))
    var company: String?
    @Option(help: ArgumentHelp("Only this vehicle (plate).", valueName: "plate"))
    var vehicle: String?
    @Option(help: ArgumentHelp("Only this local date (YYYY-MM-DD).", valueName: "date"))
    var date: LocalDate?
    @Option(help: ArgumentHelp("From this local date on (YYYY-MM-DD).", valueName: "date"))
    var from: LocalDate?
    @Option(help: ArgumentHelp("Up to this local date (YYYY-MM-DD).", valueName: "date"))
    var to: LocalDate?
    @Flag(help: "Include cases a later run no longer supports (superseded).")
    var all = false

    var filter: CaseFilter {
        CaseFilter(type: type, department: department, status: status, company: company, vehicle: vehicle,
                   dateFrom: date ?? from, dateTo: date ?? to, includeSuperseded: all)
    }
}

struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

extension ViolationType: ExpressibleByArgument {}
extension Case.Status: ExpressibleByArgument {}
extension LocalDate: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}

import ArgumentParser
import Foundation
import MuckWatchCore
import MuckWatchJournal

/// `muckwatch journal export DIR --date D [--out F]`: one journal day as contract CSV.
struct JournalExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write one journal day as contract CSV (docs/formats.md section 1).",
        discussion: """
            Rows in the order the gateway received them; times in the zone the journal's days \
            are cut in. Damaged records are skipped and listed on stderr (exit 1 if any other \
            than a torn last record).
            """)

    @Argument(help: ArgumentHelp("The journal (the gateway's --journal).", valueName: "dir"))
    var directory: String

    @Option(help: ArgumentHelp("The day: the night that starts on it (local noon to noon).", valueName: "YYYY-MM-DD"))
    var date: String

    @Option(help: ArgumentHelp("Output file (default: standard output).", valueName: "file"))
    var out: String?

    func validate() throws {
        guard JournalDay.day(named: date) != nil else { throw ValidationError("--date: expected YYYY-MM-DD, got \(date)") }
    }

    func run() throws {
        let day = directory + "/" + date
        guard !JournalDay.segments(in: day).isEmpty else {
            FileHandle.standardError.write(Data("muckwatch journal export: \(day): no journal segments (*.mwj) there\n".utf8))
            throw ExitCode(2)
        }
        let handle: FileHandle
        if let out {
            guard FileManager.default.createFile(atPath: out, contents: nil), let h = FileHandle(forWritingAtPath: out) else {
                FileHandle.standardError.write(Data("muckwatch journal export: \(out): cannot create\n".utf8))
                throw ExitCode(2)
            }
            handle = h
        } else {
            handle = FileHandle.standardOutput
        }
        let clock = try JournalReader.clock(ofDay: day)
        let summary = try JournalExport.csv(day: day, clock: clock, to: handle)
        if out != nil { try handle.close() }
        try JournalVerifyCommand.report(summary.damage)
    }
}

import ArgumentParser
import Foundation
import MuckWatchJournal

/// `muckwatch journal verify DIR`: every record of every day checked.
struct JournalVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every record of a journal: headers, lengths and CRC-32C checksums.",
        discussion: """
            Prints one line per day (segments, records, bytes) and one per damaged place \
            (file, byte offset, what is wrong). A torn last record of a segment is what a kill \
            during a write leaves (never acknowledged): reported, not an error. Exit status: \
            0 clean, 1 damaged records, 2 unreadable.
            """)

    @Argument(help: ArgumentHelp("The journal (the gateway's --journal) or one day directory in it.", valueName: "dir"))
    var directory: String

    func run() throws {
        var days = JournalDay.days(in: directory).map(\.path)
        if days.isEmpty, !JournalDay.segments(in: directory).isEmpty { days = [directory] }
        guard !days.isEmpty else {
            FileHandle.standardError.write(Data("muckwatch journal verify: \(directory): no journal days (YYYY-MM-DD/*.mwj)\n".utf8))
            throw ExitCode(2)
        }
        var damage: [JournalDamage] = []
        for day in days {
            var reader = JournalReader()
            try reader.read(day: day) { _, _, _ in }
            let s = reader.summary
            print("\((day as NSString).lastPathComponent): \(s.segments) segments, \(s.records) records, \(s.bytes) bytes")
            damage += s.damage
        }
        try Self.report(damage)
    }

    /// Prints the damage on stderr; exit 1 when any is more than a torn last record.
    static func report(_ damage: [JournalDamage]) throws {
        for d in damage { FileHandle.standardError.write(Data("\(d)\n".utf8)) }
        if damage.contains(where: { $0.kind != .tornTail }) { throw ExitCode(1) }
    }
}

import Foundation
import Hummingbird
import HummingbirdTesting
import MuckWatchCore
import MuckWatchJournal
@testable import MuckWatchReview
import MuckWatchStore
import MuckWatchTestSupport
import Testing

/// Issue #24 on the case page: `serve --journal` lists each violation's raw fixes from the
/// gateway's journal. The sample night's store, and a journal the real `JournalWriter` wrote
/// from the sample's own trace (every truck, every fix, received a moment after it was taken).
@Suite("Review app: raw fixes from the journal")
struct JournalEvidenceTests {
    /// The sample trace as the gateway would have journaled it.
    struct SampleJournal {
        let path: String
        /// Each truck's fixes as read back from the journal's days (`JournalReader`, not the
        /// window reader under test), in fix-time order.
        let fixes: [String: [Fix]]

        /// `received`: when each fix arrived (default: 0.8 s after it was taken).
        init(received: (Int64) -> Int64 = { $0 * 1000 + 800 }) throws {
            path = NSTemporaryDirectory() + "muckwatch-review-journal-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            let text = try String(contentsOfFile: BundledSample.traces, encoding: .utf8)
            var plates = PlateTable()
            var entries: [JournalEntry] = []
            for line in text.split(separator: "\n").dropFirst() {
                let c = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                guard c.count >= 10, let time = TimeParser.parse(c[1]), let lon = Double(c[2]), let lat = Double(c[3]) else { continue }
                let v = plates.intern(c[0])
                let f = Fix(vehicle: v, time: time, lon: lon, lat: lat, speedKmh: Float(c[4]) ?? .nan,
                            heading: Float(c[5]) ?? .nan, loadT: Float(c[9]) ?? .nan, lift: Int8(c[7]) ?? -1,
                            lid: Int8(c[8]) ?? -1)
                entries.append(JournalEntry(fix: f, phoneHigh: 0, phoneLow: 0x0132_0000_0000 + UInt64(v), messageID: 0x0200,
                                            serial: UInt16(truncatingIfNeeded: entries.count), receivedMs: received(time)))
            }
            let options = JournalWriter.Options()
            let writer = JournalWriter(directory: path, plates: plates.plates, options: options)
            defer { writer.close() }
            let done = DispatchSemaphore(value: 0)
            let committed = Locked(false)
            writer.submit(entries) { r in
                if case .committed = r { committed.withLock { $0 = true } }
                done.signal()
            }
            done.wait()
            guard committed.withLock({ $0 }) else { throw JournalReadError(path: path, reason: "the commit failed") }
            writer.close()
            var read = PlateTable()
            var journaled: [JournalEntry] = []
            for day in JournalDay.days(in: path) { _ = try JournalReader.fixes(day: day.path, plates: &read, entries: &journaled) }
            fixes = Dictionary(grouping: journaled.map(\.fix)) { read[$0.vehicle] }.mapValues { $0.sorted { $0.time < $1.time } }
        }

        func remove() { try? FileManager.default.removeItem(atPath: path) }

        /// `plate`'s journaled fixes within 60 s of violation `v`: what its raw-fix table lists.
        func window(_ plate: String, _ v: StoredViolation) -> [Fix] {
            (fixes[plate] ?? []).filter { (v.start - 60...v.end + 60).contains($0.time) }
        }

        var segments: [String] { JournalDay.days(in: path).flatMap { JournalDay.segments(in: $0.path) } }
    }

    /// A raw-fix row of the page: its fix time and whether it is marked as kept on the map.
    struct Row: Equatable { var time: String; var onMap: Bool }

    /// The rows of violation `n`'s raw-fix table, and its summary and note.
    static func table(_ html: String, violation n: Int) -> (rows: [Row], summary: String?, note: String?)? {
        guard let start = html.range(of: #"<details class="raw-fixes" id="raw\#(n)""#),
              let end = html.range(of: "</details>", range: start.upperBound..<html.endIndex) else { return nil }
        let section = String(html[start.lowerBound..<end.upperBound])
        let rows = section.matches(of: #/<tr class="raw-fix( late)?( kept)?"><td>([0-9:]{8})</td>/#).map {
            Row(time: String($0.output.3), onMap: $0.output.2 != nil)
        }
        func paragraph(_ cls: String) -> String? {
            guard let p = section.range(of: #"<p class="\#(cls)">"#),
                  let q = section.range(of: "</p>", range: p.upperBound..<section.endIndex) else { return nil }
            return String(section[p.upperBound..<q.lowerBound])
        }
        return (rows, paragraph("raw-summary"), paragraph("raw-note muted"))
    }

    /// The sample's case with the most fixes in its first violation's window that its map track left out.
    static func thinnedCase(_ world: ReviewWorld, _ journal: SampleJournal) throws
        -> (id: String, c: StoredCase, track: [TrackPoint]) {
        let s = try world.store()
        var best: (id: String, c: StoredCase, track: [TrackPoint], dropped: Int)?
        for row in try s.listCases(CaseFilter()) {
            guard let c = try s.loadCase(id: row.caseID), let v = c.violations.first else { continue }
            let track = try s.track(caseID: row.caseID)
            let kept = Set(track.map(\.time))
            let window = journal.window(c.vehicleID, v)
            let dropped = window.filter { !kept.contains($0.time) }.count
            if !track.isEmpty, dropped > (best?.dropped ?? 0) { best = (row.caseID, c, track, dropped) }
        }
        let found = try #require(best, "no sample case has a thinned track over a violation")
        return (found.id, found.c, found.track)
    }

    @Test("Each violation lists the journal's raw fixes of its window, marks those on the map track and dots them")
    func rawFixesOnTheCasePage() async throws {
        let world = try ReviewWorld()
        let journal = try SampleJournal()
        defer { journal.remove() }
        let (id, c, track) = try Self.thinnedCase(world, journal)
        let clock = LocalClock.shanghai
        let kept = Set(track.map(\.time))
        let app = try world.app { $0.journal = journal.path }
        try await app.test(.router) { client in
            var b = Browser()
            try await b.login(client, "li")
            let page = try await b.get(client, "/cases/\(id)")
            #expect(page.status == .ok)
            for (i, v) in c.violations.enumerated() {
                let expected = journal.window(c.vehicleID, v)
                    .sorted { $0.time < $1.time }
                let table = try #require(Self.table(page.text, violation: i + 1), "violation \(i + 1) has no raw-fix section")
                #expect(table.rows == expected.prefix(500).map { Row(time: Labels.clockTime($0.time, clock), onMap: kept.contains($0.time)) })
                let onMap = expected.prefix(500).filter { kept.contains($0.time) }.count
                #expect(table.summary?.hasPrefix("\(expected.count) raw fix") == true, "\(table.summary ?? "no summary")")
                #expect(table.summary?.contains("the simplified map track kept \(onMap)") == true, "\(table.summary ?? "")")
                #expect(table.note == (expected.count > 500 ? "Showing the first 500 of \(expected.count) fixes." : nil))
            }
            let first = try #require(Self.table(page.text, violation: 1))
            #expect(first.rows.contains { !$0.onMap } && first.rows.contains(where: \.onMap), "the track was not thinned here")
            // The map dots every raw fix shown (each once per violation that shows it).
            let shown = c.violations.map { v in
                journal.window(c.vehicleID, v).prefix(500).count
            }.reduce(0, +)
            let dots = page.text.components(separatedBy: #"<g class="raw-fixes""#).dropFirst().first?
                .components(separatedBy: "</g>").first?.components(separatedBy: "<circle").count ?? 1
            #expect(dots - 1 == shown)
            #expect(page.text.contains("raw fix 原始定位"))

            // A segment torn after the first view (half a record at its end): the same rows, and the page says what was skipped.
            let segment = try #require(journal.segments.last)
            let firstRecord = try Data(contentsOf: URL(fileURLWithPath: segment))[16..<50]
            let h = try #require(FileHandle(forWritingAtPath: segment))
            h.seekToEndOfFile()
            h.write(Data(firstRecord))
            try h.close()
            let torn = try await b.get(client, "/cases/\(id)")
            #expect(torn.status == .ok)
            let after = try #require(Self.table(torn.text, violation: 1))
            #expect(after.rows == first.rows)
            #expect(after.note?.contains("1 damaged place in the journal skipped (torn tail)") == true, "\(after.note ?? "no note")")
        }
    }

    @Test("Without --journal, or for a night the journal does not hold, the page says so and still answers")
    func noJournalOrNotThatNight() async throws {
        let world = try ReviewWorld()
        let journal = try SampleJournal()
        defer { journal.remove() }
        let (id, _, _) = try Self.thinnedCase(world, journal)
        try await world.app { _ in }.test(.router) { client in
            var b = Browser()
            try await b.login(client, "li")
            let page = try await b.get(client, "/cases/\(id)")
            #expect(page.status == .ok)
            let table = try #require(Self.table(page.text, violation: 1))
            #expect(table.rows.isEmpty)
            #expect(table.note?.hasPrefix("No fix journal is configured (muckwatch serve --journal DIR)") == true)
            #expect(!page.text.contains(#"<g class="raw-fixes""#))
        }
        // A journal of another week only: the night of the case is not in it.
        let week = try SampleJournal(received: { ($0 - 7 * 86400) * 1000 })
        defer { week.remove() }
        try await world.app { $0.journal = week.path }.test(.router) { client in
            var b = Browser()
            try await b.login(client, "li")
            let page = try await b.get(client, "/cases/\(id)")
            #expect(page.status == .ok)
            let table = try #require(Self.table(page.text, violation: 1))
            #expect(table.rows.isEmpty)
            #expect(table.note == "The journal does not hold the night of 2026-11-20 (it keeps 2026-11-13 to 2026-11-13): "
                + "removed after the retention, or the gateway was not journaling then.")
        }
        // The journal folder removed while the app runs: said, not a 500.
        let gone = NSTemporaryDirectory() + "muckwatch-no-journal-" + UUID().uuidString
        try await world.app { $0.journal = gone }.test(.router) { client in
            var b = Browser()
            try await b.login(client, "li")
            let page = try await b.get(client, "/cases/\(id)")
            #expect(page.status == .ok)
            let note = Self.table(page.text, violation: 1)?.note ?? ""
            #expect(note.hasPrefix("The journal could not be read: \(gone): no such folder"), "\(note)")
        }
    }

    @Test("A window with more fixes than a page shows says how many were left out")
    func cappedRows() {
        let t0: Int64 = 1_795_179_600
        var found = FixWindow(coverage: .searched)
        found.fixes = (0..<JournalEvidence.rowLimit).map { (k: Int) -> JournalEntry in
            let t: Int64 = t0 + Int64(k)
            let fix = Fix(vehicle: 0, time: t, lon: 108.4, lat: 30.8, speedKmh: 20, heading: 90, loadT: .nan, lift: 0, lid: -1)
            let message: UInt16 = k % 2 == 0 ? 0x0200 : 0x0704
            return JournalEntry(fix: fix, phoneHigh: 0, phoneLow: 1, messageID: message, serial: UInt16(k), receivedMs: t * 1000)
        }
        found.total = 4321
        found.days = ["2026-11-20"]
        let window = JournalEvidence.Window(from: t0, to: t0 + 5000, answer: .success(found))
        let table = RawFixTable(window, trackTimes: [t0, t0 + 2], clock: .shanghai)
        #expect(table.rawRows.count == JournalEvidence.rowLimit)
        #expect(table.rawRows.filter(\.onMap).count == 2)
        #expect(table.rawRows.filter(\.late).count == JournalEvidence.rowLimit / 2)
        #expect(table.rawRows[0].load == "" && table.rawRows[0].lid == "" && table.rawRows[0].lift == "0")
        #expect(table.rawNote == "Showing the first \(JournalEvidence.rowLimit) of 4321 fixes.")
        #expect(table.rawSummary?.hasPrefix("4321 raw fixes") == true)
    }
}

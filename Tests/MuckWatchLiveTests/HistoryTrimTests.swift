import Foundation
import Testing
import MuckWatchCore
import MuckWatchLive

@Suite struct HistoryTrimTests {
    /// One truck's sample night, replayed on `nights` successive days.
    static func nights(_ nights: Int, live: LiveAnalysis) throws -> [Fix] {
        let (fixes, readPlates) = try SampleReplay.fixes()
        var tripsByPlate: [String: Int] = [:]
        for f in fixes { tripsByPlate[readPlates[f.vehicle], default: 0] += 1 }
        // The truck with the most fixes (it has the most trips in the sample).
        let plate = tripsByPlate.max { ($0.value, $1.key) < ($1.value, $0.key) }!.key
        let v = live.vehicle(addingPlate: plate)
        let night = fixes.filter { readPlates[$0.vehicle] == plate }.sorted { $0.time < $1.time }
        var out: [Fix] = []
        for n in 0..<nights {
            for var f in night {
                f.vehicle = v
                f.time += Int64(n) * 86_400
                out.append(f)
            }
        }
        return out
    }

    static func run(nights n: Int, trim: Bool) throws -> (live: LiveAnalysis, retained: [Int], perNight: Int) {
        var options = LiveAnalysis.Options()
        options.reorderWindowSeconds = 3600
        options.trimHistory = trim
        let live = try LiveAnalysis(references: SampleReplay.references(), options: options)
        let fixes = try nights(n, live: live)
        let perNight = fixes.count / n
        var retained: [Int] = []
        for start in stride(from: 0, to: fixes.count, by: 200) {
            _ = live.feed(Array(fixes[start..<min(start + 200, fixes.count)]))
            retained.append(live.retainedFixes)
        }
        _ = live.finish()
        return (live, retained, perNight)
    }

    /// Ten nights of one truck: with trimming the analyzer holds a bounded number of fixes
    /// (never more than about a night's) while ten nights' worth are fed, and the trips
    /// and cases equal those of the same feed kept whole.
    @Test func retainedFixesStayBoundedAndJudgementsUnchanged() throws {
        let trimmed = try Self.run(nights: 10, trim: true)
        let whole = try Self.run(nights: 10, trim: false)
        #expect(trimmed.live.counters.trims > 0)
        #expect(trimmed.live.counters.fixes == whole.live.counters.fixes)
        // Kept whole, the track holds all ten nights; trimmed, at most about one night.
        #expect(whole.retained.last! > 9 * whole.perNight / 2)
        let peak = trimmed.retained.max()!
        #expect(peak <= 3 * trimmed.perNight / 2, "peak \(peak), a night is \(trimmed.perNight) fixes")
        // And the bound does not grow with the nights fed: the last nights peak no higher
        // than the first two.
        let n = trimmed.retained.count
        #expect(trimmed.retained[(n * 8 / 10)...].max()! <= trimmed.retained[..<(n * 2 / 10)].max()! + trimmed.perNight / 4)

        #expect(!whole.live.trips.isEmpty)
        #expect(trimmed.live.trips.map { SampleReplay.key($0, trimmed.live.plates) }
                == whole.live.trips.map { SampleReplay.key($0, whole.live.plates) })
        #expect(trimmed.live.cases.map(\.id) == whole.live.cases.map(\.id))
        let wholeByID = Dictionary(uniqueKeysWithValues: whole.live.cases.map { ($0.id, $0) })
        for c in trimmed.live.cases {
            #expect(c == wholeByID[c.id], "\(c.id)")
        }
    }
}

import Foundation
import MuckWatchCore
@testable import MuckWatchReview
import MuckWatchStore
import MuckWatchTestSupport
import Testing

/// The statistics page's model built from the sample store's own figures: no router, no HTTP.
@Suite("Review app: statistics model")
struct StatisticsModelTests {
    @Test("Without cases there is no day and no table")
    func empty() {
        let model = StatisticsModel(dates: [], stats: nil, names: FenceNames([]))
        #expect(model.date == "")
        #expect(!model.hasDates)
        #expect(model.tables.isEmpty)
    }

    @Test("One table per figure, rows as the store counted them, sites named, types and statuses in words",
          arguments: StoreBackend.allCases)
    func tables(backend: StoreBackend) async throws {
        let world = try await ReviewWorld.make(backend)
        defer { world.cleanup() }
        let store = try world.store()
        let dates = try store.caseDates()
        let stats = try store.dailyStatistics(dates[0])
        let shapes = try store.fences().compactMap(FenceShape.init)
        let model = StatisticsModel(dates: dates, stats: stats, names: FenceNames(shapes))
        #expect(model.date == dates[0].description)
        #expect(model.dates.filter(\.selected).map(\.value) == [dates[0].description])
        #expect(model.tables.map(\.key) == ["source", "disposal", "types", "companies", "status"])
        let source = model.tables[0]
        #expect(source.hasTrips && source.unit == "tonnes")
        #expect(source.rows.map(\.trips) == stats.tonnesBySourceSite.map(\.trips))
        #expect(source.rows.map(\.value) == stats.tonnesBySourceSite.map { String(format: "%.1f", $0.tonnes) })
        let top = stats.tonnesBySourceSite[0].name
        let named = shapes.first { $0.id == top }!.name
        #expect(source.rows[0].name == (named == top || named.isEmpty ? top : "\(named) (\(top))"))
        #expect(source.chart.hasPrefix("<svg"))
        let types = model.tables[2]
        #expect(!types.hasTrips)
        #expect(types.rows.map(\.name) == stats.violationsByType.map { Labels.violation(ViolationType(rawValue: $0.name)!) })
        #expect(model.tables[4].rows.map(\.value) == stats.casesByStatus.map { String($0.count) })
    }
}

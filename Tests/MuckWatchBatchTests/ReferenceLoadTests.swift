import Foundation
import Testing
import MuckWatchCore
import MuckWatchJudge
@testable import MuckWatchBatch

/// References load beside the traces; a run with bad inputs must still fail with the error
/// a one-after-another load gives: config, fences, vehicles, permits, cameras, then traces.
@Suite struct ReferenceLoadTests {
    func failure(_ change: (inout AnalysisOptions) -> Void) -> String {
        var o = SampleNight.options(out: SampleNight.tempDir())
        change(&o)
        do {
            _ = try Analysis.run(o)
            return "no error"
        } catch {
            return error.description
        }
    }

    @Test func theFirstBadInputInReadingOrderIsReported() {
        let missing = "/nonexistent/muckwatch"
        #expect(failure { $0.fences = missing + "-fences"; $0.vehicles = missing + "-vehicles" }.contains("-fences"))
        #expect(failure { $0.vehicles = missing + "-vehicles"; $0.permits = missing + "-permits" }.contains("-vehicles"))
        #expect(failure { $0.permits = missing + "-permits"; $0.cameras = missing + "-cameras" }.contains("-permits"))
        #expect(failure { $0.cameras = missing + "-cameras"; $0.traces = [missing + "-traces"] }.contains("-cameras"))
        #expect(failure { $0.config = missing + "-config"; $0.fences = missing + "-fences" }.contains("-config"))
        #expect(failure { $0.traces = [missing + "-traces"] }.contains("-traces"))
    }
}

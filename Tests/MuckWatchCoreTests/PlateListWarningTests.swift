import Testing
import MuckWatchCore

/// A partitioned night's warnings naming plates are joined back into the whole night's.
struct PlateListWarningTests {
    static let kinds: [PlateListWarning.Kind] = [.cameraPlates, .manifestPlates, .permitVehicles(permitID: "P-2026: 7")]

    @Test(arguments: kinds)
    func aLineReadsBackAsTheWarningItIs(kind: PlateListWarning.Kind) throws {
        let w = PlateListWarning(kind, plates: ["渝F2", "渝F1", "渝F2"])
        #expect(w.plates == ["渝F1", "渝F2"] && w.count == 2)
        #expect(PlateListWarning(parsing: w.text) == w)
    }

    @Test(arguments: kinds)
    func sharesJoinIntoTheWholeNightsLine(kind: PlateListWarning.Kind) throws {
        // Twelve plates: the camera and manifest lines list the first ten, with the count of all.
        let all = (10...21).map { "渝A\($0)" }
        let whole = PlateListWarning(kind, plates: all)
        let shares = [all.filter { $0.hasSuffix("1") || $0.hasSuffix("5") }, all.filter { !$0.hasSuffix("1") && !$0.hasSuffix("5") }]
            .map { PlateListWarning(kind, plates: $0).text }
        let joined = try #require(PlateListWarning(parsing: shares[0])).adding(try #require(PlateListWarning(parsing: shares[1])))
        #expect(joined.text == whole.text)
        #expect(joined.count == 12)
    }

    @Test func otherWarningsAreNotPlateLists() {
        #expect(PlateListWarning(parsing: "permit P-1: disposal_site D-9 is not a disposal site in the fences") == nil)
        #expect(PlateListWarning(parsing: "3 gate event(s) with no plate read and a tag no registered vehicle carries: kept out of judging") == nil)
        #expect(PlateListWarning(parsing: "") == nil)
    }

    @Test func theMergedSummaryHasTheWholeNightsWarnings() {
        var a = Summary(), b = Summary(), whole = Summary()
        a.warnings = [PlateListWarning(.cameraPlates, plates: ["渝F3"]).text, "permit P-1: route R-9 is not a route in the fences (off_route cannot be judged)"]
        b.warnings = [PlateListWarning(.cameraPlates, plates: ["渝F1"]).text, PlateListWarning(.permitVehicles(permitID: "P-1"), plates: ["渝F7"]).text]
        whole.warnings = [PlateListWarning(.cameraPlates, plates: ["渝F1", "渝F3"]).text, a.warnings[1],
                          PlateListWarning(.permitVehicles(permitID: "P-1"), plates: ["渝F7"]).text].sorted()
        #expect(Summary.merged([a, b]).warnings == whole.warnings)
    }
}

import Testing
import MuckWatchCore

@Suite struct TimeParserTests {
    @Test func isoWithOffset() {
        #expect(TimeParser.parse("2026-11-20T22:15:03+08:00") == 1_795_184_103)
        #expect(TimeParser.parse("2026-11-20T14:15:03Z") == 1_795_184_103)
        #expect(TimeParser.parse("2026-11-20T14:15:03.750Z") == 1_795_184_103)
        #expect(TimeParser.parse("2026-11-20 22:15:03+0800") == 1_795_184_103)
        #expect(TimeParser.parse("2026-11-20T09:15:03-05:00") == 1_795_184_103)
    }

    @Test func unixSeconds() {
        #expect(TimeParser.parse("1795184103") == 1_795_184_103)
        #expect(TimeParser.parse(" 1795184103 ") == 1_795_184_103)
    }

    @Test func rejectsAmbiguousOrBrokenTimes() {
        for bad in ["", "2026-11-20T22:15:03", "2026-11-20", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z",
                    "2026-11-20T25:00:00Z", "yesterday", "1.5", "2026-11-20T22:15:03+08:00x",
                    "NaN"] {
            #expect(TimeParser.parse(bad) == nil, "accepted \(bad)")
        }
        #expect(TimeParser.parse("2026-11-20T22:15:03+08") == 1_795_184_103)
    }

    @Test func leapYears() {
        #expect(TimeParser.parse("2024-02-29T00:00:00Z") == 1_709_164_800)
        #expect(TimeParser.parse("2100-02-29T00:00:00Z") == nil)
        #expect(TimeParser.parse("2000-02-29T00:00:00Z") == 951_782_400)
    }
}

@Suite struct LocalClockTests {
    @Test func formatsInZone() {
        #expect(LocalClock.shanghai.format(1_795_184_103) == "2026-11-20T22:15:03+08:00")
        #expect(LocalClock(offsetSeconds: 0).format(1_795_184_103) == "2026-11-20T14:15:03Z")
        #expect(LocalClock(offsetSeconds: -5 * 3600).format(0) == "1969-12-31T19:00:00-05:00")
    }

    @Test func localDateAndMinute() {
        // 2026-11-20 23:59 and 2026-11-21 00:01 local.
        let before = TimeParser.parse("2026-11-20T23:59:00+08:00")!
        let after = TimeParser.parse("2026-11-21T00:01:00+08:00")!
        #expect(LocalClock.shanghai.date(of: before).description == "2026-11-20")
        #expect(LocalClock.shanghai.date(of: after).description == "2026-11-21")
        #expect(LocalClock.shanghai.minuteOfDay(before) == 23 * 60 + 59)
        #expect(LocalClock.shanghai.date(of: after).compact == "20261121")
    }

    @Test func localDateParsing() {
        #expect(LocalDate(parsing: "2026-11-01")! < LocalDate(parsing: "2026-11-30")!)
        #expect(LocalDate(parsing: "2026-11-31") == nil)
        #expect(LocalDate(parsing: "20261101") == nil)
        #expect(LocalDate(year: 1970, month: 1, day: 1).days == 0)
    }
}

@Suite struct HourWindowTests {
    @Test func wrapsMidnight() {
        let w = HourWindow(parsing: "22:00-06:00")!
        #expect(w.contains(minuteOfDay: 22 * 60))
        #expect(w.contains(minuteOfDay: 3 * 60))
        #expect(!w.contains(minuteOfDay: 6 * 60))
        #expect(!w.contains(minuteOfDay: 21 * 60 + 59))
        #expect(w.description == "22:00-06:00")
    }

    @Test func plainWindowAndErrors() {
        let w = HourWindow(parsing: "07:00-09:00")!
        #expect(w.contains(minuteOfDay: 8 * 60))
        #expect(!w.contains(minuteOfDay: 9 * 60))
        #expect(HourWindow(parsing: "7-9") == nil)
        #expect(HourWindow(parsing: "25:00-01:00") == nil)
        #expect([w, HourWindow(parsing: "21:00-23:00")!].contains(minuteOfDay: 22 * 60))
    }
}

@Suite struct ConfigTests {
    @Test func defaultDepartmentsFollowTheContract() {
        let c = Config()
        #expect(c.departments(for: [.noPermit]) == ["city_management", "housing_construction"])
        #expect(c.departments(for: [.speeding, .signalLoss]) == ["traffic_police", "transport"])
        #expect(Department.defaultTable.count == ViolationType.allCases.count)
    }
}

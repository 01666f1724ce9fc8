public import MuckWatchCore

/// Groups violations into cases (contract section 8): one vehicle on one trip, or one
/// vehicle on one local date for violations outside every trip. Routes each case to
/// the departments of its violation types and gives it a stable id.
public enum CaseBuilder {
    /// Builds the cases of one vehicle. `trips` are that vehicle's trips (violations'
    /// `tripIndex` points into it); the returned trips carry their case id.
    public static func cases(plate: String, company: String?, trips: inout [Trip], violations: [Violation],
                             config: Config) -> [Case] {
        var byTrip: [Int: [Violation]] = [:]
        var byDate: [LocalDate: [Violation]] = [:]
        for v in violations {
            if let k = v.tripIndex, k < trips.count { byTrip[k, default: []].append(v) }
            else { byDate[config.clock.date(of: v.start), default: []].append(v) }
        }
        var out: [Case] = []
        for k in byTrip.keys.sorted() {
            let vs = byTrip[k]!
            let date = config.clock.date(of: trips[k].loadedAt)
            let id = CaseID.make(date: date, plate: plate, anchor: "trip@\(trips[k].loadedAt)")
            trips[k].caseID = id
            out.append(Case(id: id, vehicleID: plate, company: company,
                            departments: config.departments(for: vs.map(\.type)), trip: trips[k], date: date,
                            violations: vs))
        }
        for date in byDate.keys.sorted() {
            let vs = byDate[date]!
            let id = CaseID.make(date: date, plate: plate, anchor: "day")
            out.append(Case(id: id, vehicleID: plate, company: company,
                            departments: config.departments(for: vs.map(\.type)), trip: nil, date: date,
                            violations: vs))
        }
        return out
    }
}

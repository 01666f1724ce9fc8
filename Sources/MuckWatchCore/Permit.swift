/// A disposal permit (处置核准 / 电子联单): which vehicles may carry from which
/// source to which disposal site, on which dates, hours and route.
public struct Permit: Sendable, Equatable {
    public var id: String
    public var vehicles: [String]
    public var sourceSite: String
    public var disposalSite: String
    /// Route fence id; `nil` = any route.
    public var route: String?
    /// Inclusive local dates.
    public var validFrom: LocalDate
    public var validTo: LocalDate
    /// Allowed windows; `nil` = any hour.
    public var hours: [HourWindow]?

    public init(id: String, vehicles: [String], sourceSite: String, disposalSite: String, route: String?,
                validFrom: LocalDate, validTo: LocalDate, hours: [HourWindow]?) {
        self.id = id
        self.vehicles = vehicles
        self.sourceSite = sourceSite
        self.disposalSite = disposalSite
        self.route = route
        self.validFrom = validFrom
        self.validTo = validTo
        self.hours = hours
    }

    /// Valid for this vehicle, source site and local date.
    public func covers(vehicle: String, sourceSite site: String, on date: LocalDate) -> Bool {
        sourceSite == site && validFrom <= date && date <= validTo && vehicles.contains(vehicle)
    }
}

/// Registry entry for one truck (contract section 5).
public struct Vehicle: Sendable, Equatable {
    public var id: String
    public var company: String
    /// Rated load in tonnes, `nil` when unknown.
    public var ratedLoadT: Double?
    /// JT/T 808 terminal phone number, as given.
    public var terminalID: String?
    /// The electronic tag (电子标签) issued to this plate; gates read it (contract section 12).
    public var rfid: String?

    public init(id: String, company: String, ratedLoadT: Double?, terminalID: String?, rfid: String? = nil) {
        self.id = id
        self.company = company
        self.ratedLoadT = ratedLoadT
        self.terminalID = terminalID
        self.rfid = rfid
    }
}

/// What a checkpoint camera saw (contract section 2).
public enum CameraEventType: String, Sendable, CaseIterable {
    case pass, overload, unsealed, spill
}

public struct CameraEvent: Sendable, Equatable {
    public var id: String
    public var checkpointID: String
    public var time: Int64
    public var plate: String
    public var type: CameraEventType
    public var confidence: Double
    public var image: String?

    public init(id: String, checkpointID: String, time: Int64, plate: String, type: CameraEventType,
                confidence: Double, image: String?) {
        self.id = id
        self.checkpointID = checkpointID
        self.time = time
        self.plate = plate
        self.type = type
        self.confidence = confidence
        self.image = image
    }
}

/// One pass through a site's gate (contract section 12): the plate camera's read, the RFID
/// reader's tag, the weighbridge's weights and the manifest scanned there, when the gate
/// has them. Gates are where a load's paper trail meets the truck, so every mismatch
/// between them and the GPS is a lead.
public struct GateEvent: Sendable, Equatable {
    public var id: String
    /// The site fence id the gate belongs to.
    public var site: String
    public var time: Int64
    public var direction: GateDirection
    /// The gate camera's plate read; `plate` or `rfid` is present, or both.
    public var plate: String?
    /// The electronic tag (电子标签) the reader saw.
    public var rfid: String?
    public var grossT: Double?
    public var tareT: Double?
    public var manifestID: String?
    public var image: String?

    public init(id: String, site: String, time: Int64, direction: GateDirection, plate: String? = nil,
                rfid: String? = nil, grossT: Double? = nil, tareT: Double? = nil, manifestID: String? = nil,
                image: String? = nil) {
        self.id = id
        self.site = site
        self.time = time
        self.direction = direction
        self.plate = plate
        self.rfid = rfid
        self.grossT = grossT
        self.tareT = tareT
        self.manifestID = manifestID
        self.image = image
    }

    /// The vehicle the pass belongs to (contract section 12): its plate read, else its
    /// tag's registered plate; `nil` when neither is known.
    public func vehicle(tagOwners: [String: String]) -> String? { vehicle(tagOwner: rfid.flatMap { tagOwners[$0] }) }

    /// The same, its tag's registered plate looked up already (`ChainRecords`).
    public func vehicle(tagOwner: String?) -> String? { plate ?? tagOwner }

    /// The load on the weighbridge (gross − tare), when the gate weighed both.
    public var netT: Double? {
        guard let g = grossT, let t = tareT else { return nil }
        return g - t
    }
}

public enum GateDirection: String, Sendable, CaseIterable {
    case `in`, out
}

/// A longitude/latitude pair in degrees (WGS84 unless a reader says otherwise).
public struct LonLat: Sendable, Equatable, Hashable {
    public var lon: Double
    public var lat: Double
    public init(lon: Double, lat: Double) {
        self.lon = lon
        self.lat = lat
    }
}

/// What an electronic fence stands for (contract section 3).
public enum FenceKind: String, Sendable, CaseIterable, Hashable {
    /// 出土工地: where loads come from.
    case constructionSite = "construction_site"
    /// 消纳场: where loads may legally go.
    case disposalSite = "disposal_site"
    /// An approved corridor around a line.
    case route
    /// 禁行区: banned during its hours; its speed limit holds at all hours.
    case restrictedZone = "restricted_zone"
    /// 卡口 camera position.
    case checkpoint

    /// Sites are where trucks load and unload.
    public var isSite: Bool { self == .constructionSite || self == .disposalSite }
}

/// Geometry in degrees as read from GeoJSON.
public enum FenceGeometry: Sendable, Equatable {
    /// One or more polygons; each polygon is an outer ring followed by its holes.
    /// Rings may be in either orientation and need not repeat the first point.
    case polygons([[[LonLat]]])
    /// One or more polylines (route centre lines).
    case lines([[LonLat]])
    case point(LonLat)
}

/// One electronic fence: a site, a corridor, a zone or a checkpoint.
public struct Fence: Sendable, Equatable {
    public var id: String
    public var name: String
    public var kind: FenceKind
    public var geometry: FenceGeometry
    /// Route corridor half-width in metres (default 50).
    public var corridorM: Double
    /// Checkpoint radius in metres (default 100).
    public var radiusM: Double
    /// Restricted-zone banned windows; `nil` = banned at all hours.
    public var hours: [HourWindow]?
    /// Restricted-zone speed limit, applies at all hours.
    public var speedLimitKmh: Double?
    /// Disposal-site capacity, informational.
    public var capacityT: Double?
    /// Disposal-site facility (contract section 12); `nil` when not given (a landfill).
    public var facility: Facility?

    public init(id: String, name: String, kind: FenceKind, geometry: FenceGeometry,
                corridorM: Double = 50, radiusM: Double = 100, hours: [HourWindow]? = nil,
                speedLimitKmh: Double? = nil, capacityT: Double? = nil, facility: Facility? = nil) {
        self.id = id
        self.name = name
        self.kind = kind
        self.geometry = geometry
        self.corridorM = corridorM
        self.radiusM = radiusM
        self.hours = hours
        self.speedLimitKmh = speedLimitKmh
        self.capacityT = capacityT
        self.facility = facility
    }
}

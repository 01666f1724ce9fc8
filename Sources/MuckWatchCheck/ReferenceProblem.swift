/// One thing wrong with a deployment's reference data, said so an operator can fix it
/// without reading MuckWatch's code: the file, where in it, what is wrong, what to do.
public struct ReferenceProblem: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// A file that is missing, unreadable or not of its format at all.
        case unusableFile = "unusable_file"
        /// A fence feature `analyze` would refuse (bad kind, too few points, bad property).
        case unusableFence = "unusable_fence"
        /// A polygon GEOS calls invalid: self-intersecting rings, holes outside, ...
        case invalidPolygon = "invalid_polygon"
        /// A ring whose last position does not repeat the first.
        case unclosedRing = "unclosed_ring"
        /// Two disposal sites sharing area: an unloading there counts for either.
        case overlappingDisposalSites = "overlapping_disposal_sites"
        case duplicateID = "duplicate_id"
        /// A record a reader rejected (bad field, wrong field count).
        case unusableRecord = "unusable_record"
        /// A permit, manifest or gate record naming a site or route id no fence of that kind has.
        case unknownFence = "unknown_fence"
        /// A permit or manifest naming a plate the vehicle registry lacks.
        case unknownVehicle = "unknown_vehicle"
        /// Camera reads from a checkpoint id that no checkpoint fence has.
        case unknownCheckpoint = "unknown_checkpoint"
        case missingTerminal = "missing_terminal"
        /// A checkpoint with no GPS fix near it: on no road any truck drives.
        case checkpointOffRoad = "checkpoint_off_road"
        /// Fences and tracks in different datums (GCJ-02 vs WGS84).
        case datumMismatch = "datum_mismatch"
    }

    public var kind: Kind
    public var file: String
    /// The feature, record or line the problem is at; empty for the whole file.
    public var at: String
    public var message: String
    /// What to do about it.
    public var remedy: String

    public init(_ kind: Kind, file: String, at: String = "", _ message: String, remedy: String) {
        self.kind = kind
        self.file = file
        self.at = at
        self.message = message
        self.remedy = remedy
    }

    /// `file: at: message` and the remedy on an indented line below.
    public var text: String {
        (at.isEmpty ? "\(file): " : "\(file): \(at): ") + message + "\n    → " + remedy
    }
}

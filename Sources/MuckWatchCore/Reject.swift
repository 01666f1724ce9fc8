/// An input row that could not be used: where it is and why, in words a user can act on.
/// Written to `rejects.csv` as `file,line,reason`; the run always goes on.
public struct Reject: Sendable, Equatable, Hashable {
    /// The file as the user named it on the command line.
    public var file: String
    /// 1-based physical line (the CSV header is line 1).
    public var line: Int
    public var reason: String
    /// A trace row's plate, when it had a usable one: the partition a partitioned run
    /// counts the reject in (`PlatePartition.contains(rejectOf:)`); not written out.
    public var plate: String?

    public init(file: String, line: Int, reason: String, plate: String? = nil) {
        self.file = file
        self.line = line
        self.reason = reason
        self.plate = plate
    }
}

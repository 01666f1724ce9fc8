import MuckWatchCore

/// The rows a partitioned run (`--partition K/N` over the whole night's traces) keeps:
/// every row is still parsed, so the night's time span is the whole night's, then the
/// fixes and rejects of other partitions are dropped before they reach the buckets.
/// Membership is worked out once per plate, not once per fix.
struct PartitionFilter {
    let partition: PlatePartition
    /// Whether each plate id of the run's table is this partition's.
    private(set) var member: [Bool] = []

    init(_ partition: PlatePartition) { self.partition = partition }

    /// Notes the plates interned since the last call.
    mutating func learn(_ plates: PlateTable) {
        while member.count < plates.count {
            member.append(partition.contains(plate: plates[Int32(member.count)]))
        }
    }

    /// Drops the fixes of other partitions' vehicles and the rejects of other partitions'
    /// rows (by the row's plate, partition 0 for rows without one); returns how many rows
    /// were dropped (each row is one fix or one reject).
    func keep(_ fixes: inout [Fix], _ rejects: inout [Reject], rejectsFrom first: Int = 0) -> Int {
        let before = fixes.count + rejects.count
        let member = member
        fixes.removeAll { !member[Int($0.vehicle)] }
        let p = partition
        var kept = Array(rejects[..<first])
        kept += rejects[first...].filter { p.contains(rejectOf: $0.plate) }
        rejects = kept
        return before - fixes.count - rejects.count
    }

    /// `keep` over one parsed piece of the traces.
    func keep(_ piece: inout ParallelParse.Parsed) -> Int { keep(&piece.fixes, &piece.rejects) }
}

/// Interns plates (vehicle ids) so fixes carry a small integer instead of a String.
///
/// Readers intern once per row (with a last-plate cache, since rows of one vehicle
/// usually come in runs); every later stage indexes arrays by the integer.
public struct PlateTable: Sendable {
    public private(set) var plates: [String] = []
    private var index: [String: Int32] = [:]

    public init() {}

    public var count: Int { plates.count }

    public mutating func intern(_ plate: String) -> Int32 {
        if let i = index[plate] { return i }
        let i = Int32(plates.count)
        plates.append(plate)
        index[plate] = i
        return i
    }

    public func lookup(_ plate: String) -> Int32? { index[plate] }

    public subscript(i: Int32) -> String { plates[Int(i)] }
}

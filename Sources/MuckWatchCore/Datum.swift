/// Which datum an input's coordinates are in (the run record keeps it for each input).
public enum Datum: String, Sendable, CaseIterable {
    case wgs84, gcj02
}

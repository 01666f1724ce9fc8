/// Which datum an input's coordinates are in: WGS84 (GPS terminals, most files) or
/// GCJ-02 (drawn on Chinese web maps, shifted by up to ~700 m).
public enum Datum: String, Sendable, CaseIterable {
    case wgs84, gcj02
}

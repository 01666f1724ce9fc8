import MuckWatchCore
import MuckWatchStore

/// What the track replay plays (`GET /cases/:id/replay.json`, read by /static/replay.js): the
/// truck's track, the timeline's events at their times and the numbered violation markers, in
/// the datum of the map they are drawn on (GCJ-02 when the basemap's tiles are).
struct ReplayData: Encodable {
    struct Point: Encodable { var t: Int64; var lon: Double; var lat: Double; var kmh: Float; var loaded: Bool }
    struct Event: Encodable { var t: Int64; var time: String; var kind: String; var text: String }
    struct Marker: Encodable { var n: Int; var t: Int64; var lon: Double; var lat: Double; var title: String }

    var caseID: String
    var datum: String
    /// Seconds east of UTC of the city's clock: the replay shows local times.
    var utcOffset: Int64
    var points: [Point]
    var events: [Event]
    var violations: [Marker]

    init(_ record: CaseRecord, shapes: [FenceShape], basemap: Basemap?) {
        let c = record.stored, clock = record.clock, names = FenceNames(shapes)
        let shift = { (p: LonLat) in basemap?.shift(p) ?? p }
        caseID = c.caseID
        utcOffset = clock.offsetSeconds
        datum = basemap?.datum.rawValue ?? Basemap.Datum.wgs84.rawValue
        points = record.track.map { p in
            let at = shift(LonLat(lon: p.lon, lat: p.lat))
            return Point(t: p.time, lon: at.lon, lat: at.lat, kmh: p.speedKmh, loaded: p.loaded)
        }
        var timeline = CasePageModel.timeline(c, cameras: record.cameras, names: names, clock: clock)
            + CasePageModel.chainTimeline(record.manifests, gates: record.gates, names: names, clock: clock)
        timeline.sort { $0.at < $1.at }
        events = timeline.map { Event(t: $0.at, time: $0.time, kind: $0.kind, text: $0.text) }
        violations = c.violations.enumerated().map { i, v in
            let at = shift(LonLat(lon: v.lon, lat: v.lat))
            return Marker(n: i + 1, t: v.start, lon: at.lon, lat: at.lat, title: "\(i + 1): \(Labels.violation(v.type))")
        }
    }
}

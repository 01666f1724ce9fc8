public import MuckWatchCore
public import MuckWatchAnalysis

/// The rules, listed in one place, run over one vehicle's finished track.
public enum RuleSet {
    /// Assigns permits to the track's trips and returns every violation, time-ordered.
    public static func evaluate(_ track: inout VehicleTrack, _ ctx: RuleContext) -> [Violation] {
        PermitMatcher.assign(&track, ctx)
        ManifestMatcher.assign(&track, ctx)
        var out: [Violation] = []
        TripRules.noPermit(track, ctx, into: &out)
        TripRules.disposal(track, ctx, into: &out)
        TripRules.offRoute(track, ctx, into: &out)
        TripRules.outsideHours(track, ctx, into: &out)
        TrackRules.restrictedZone(track, ctx, into: &out)
        TrackRules.speeding(track, ctx, into: &out)
        TrackRules.signalLoss(track, ctx, into: &out)
        SensorRules.overload(track, ctx, into: &out)
        SensorRules.unsealed(track, ctx, into: &out)
        CameraRules.events(track, ctx, into: &out)
        CameraRules.plateMismatch(track, ctx, into: &out)
        ManifestRules.missing(track, ctx, into: &out)
        ManifestRules.unclosed(track, ctx, into: &out)
        ManifestRules.mismatch(track, ctx, into: &out)
        ManifestRules.weight(track, ctx, into: &out)
        GateRules.tare(track, ctx, into: &out)
        GateRules.rfid(track, ctx, into: &out)
        GateRules.presence(track, ctx, into: &out)
        out.sort { ($0.start, $0.type) < ($1.start, $1.type) }
        return out
    }
}

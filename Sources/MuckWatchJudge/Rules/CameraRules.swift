import MuckWatchCore
import MuckWatchAnalysis
import MuckWatchGeo

/// Rules over checkpoint camera reads of this vehicle's plate.
enum CameraRules {
    /// overload / unsealed / spill from camera events at or above `camera_min_confidence`.
    /// A read inside (±5 min) a sensor violation of the same type joins it as evidence
    /// instead of raising a second violation for the same act.
    static func events(_ track: VehicleTrack, _ ctx: RuleContext, into out: inout [Violation]) {
        for (ci, e) in ctx.cameras.enumerated() where e.type != .pass && e.confidence >= ctx.config.cameraMinConfidence {
            guard let type = violationType(e.type) else { continue }
            if let k = out.firstIndex(where: { $0.type == type && e.time >= $0.start - 300 && e.time <= $0.end + 300 }) {
                out[k].evidence.cameraEvents.append(e.id)
                if let img = e.image { out[k].evidence.images.append(img) }
                continue
            }
            let (lon, lat) = position(ci, ctx)
            var v = Violation(vehicle: track.vehicle, type: type, start: e.time, end: e.time, lon: lon, lat: lat,
                              source: .camera,
                              detail: "camera \(e.checkpointID) saw \(e.type.rawValue) (confidence \(e.confidence))",
                              tripIndex: track.count > 0 ? track.tripIndex(containing: e.time) : nil)
            v.evidence.cameraEvents = [e.id]
            if let img = e.image { v.evidence.images = [img] }
            out.append(v)
        }
    }

    /// plate_mismatch: the camera read the plate where the vehicle's own GPS (interpolated
    /// between fixes at most 120 s from the read) was at least `plate_mismatch_min_m` away.
    static func plateMismatch(_ track: VehicleTrack, _ ctx: RuleContext, into out: inout [Violation]) {
        guard track.count > 0 else { return }
        let maxGap = ctx.config.plateMismatchMaxFixGapS
        for (ci, e) in ctx.cameras.enumerated() where e.confidence >= ctx.config.cameraMinConfidence {
            let cp = ctx.cameraCheckpoint[ci]
            guard cp >= 0, case .point(let p) = ctx.fence(cp).geometry else { continue }
            guard let (x, y, used) = track.position(at: e.time, maxGap: maxGap) else { continue }
            let c = ctx.index.projected[Int(cp)].anchor
            let d = ((x - c.x) * (x - c.x) + (y - c.y) * (y - c.y)).squareRoot()
            guard d >= ctx.config.plateMismatchMinM else { continue }
            var v = Violation(vehicle: track.vehicle, type: .plateMismatch, start: e.time, end: e.time, lon: p.lon, lat: p.lat,
                              source: .camera,
                              detail: "camera \(e.checkpointID) read this plate while its GPS was \(Int(d)) m away (cloned plate?)",
                              tripIndex: track.tripIndex(containing: e.time))
            v.evidence.cameraEvents = [e.id]
            if let img = e.image { v.evidence.images = [img] }
            v.evidence.fixRanges = [used]
            out.append(v)
        }
    }

    private static func violationType(_ t: CameraEventType) -> ViolationType? {
        switch t {
        case .overload: return .overload
        case .unsealed: return .unsealed
        case .spill: return .spill
        case .pass: return nil
        }
    }

    private static func position(_ ci: Int, _ ctx: RuleContext) -> (Double, Double) {
        let cp = ctx.cameraCheckpoint[ci]
        if cp >= 0, case .point(let p) = ctx.fence(cp).geometry { return (p.lon, p.lat) }
        return (.nan, .nan)
    }
}

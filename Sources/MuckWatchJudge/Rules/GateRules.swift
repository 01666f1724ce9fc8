import MuckWatchCore
import MuckWatchAnalysis

/// Rules over the gate passes this vehicle owns (contract section 12).
enum GateRules {
    /// tare_anomaly: a weighing's tare differs from the median of the vehicle's other
    /// tares (at least 2) by more than `tare_tolerance` of that median.
    static func tare(_ track: VehicleTrack, _ ctx: RuleContext, into out: inout [Violation]) {
        // The weighed passes as indexes (a pass holds a dozen strings: read in place).
        let events = ctx.gateEvents
        let weighed = events.indices.filter { events[$0].tareT != nil }
        guard weighed.count >= 3 else { return }
        // Sorted once: the median of the others is read around each tare's place in it.
        let sorted = weighed.map { events[$0].tareT! }.sorted()
        for i in weighed {
            let tare = events[i].tareT!
            let median = Self.median(of: sorted, without: tare)
            guard median > 0, abs(tare - median) > ctx.config.tareTolerance * median else { continue }
            let site = events[i].site
            out.append(Violation(.tareAnomaly, at: events[i].time, site: site, track, ctx, source: .gate,
                                 detail: "tare \(tonnes(tare)) at \(site) against a median of \(tonnes(median)) over \(sorted.count - 1) other weighings",
                                 evidence: Evidence(pass: events[i])))
        }
    }

    /// rfid_mismatch: a pass read both a plate and a tag, and the registry gives that tag
    /// to another plate, or that plate another tag.
    static func rfid(_ track: VehicleTrack, _ ctx: RuleContext, into out: inout [Violation]) {
        let events = ctx.gateEvents
        for i in events.indices {
            // Read in place, the tag's owner looked up already (`ChainRecords.gateTagOwners`):
            // a pass is its plate read's, so a tag its plate owns is the registered one (the
            // registry holds one row per plate) and needs no comparing.
            guard let plate = events[i].plate, events[i].rfid != nil else { continue }
            let detail: String
            if let owner = ctx.gateTagOwners[i] {
                guard owner != plate else { continue }
                detail = "tag of \(owner) read with plate \(plate) at \(events[i].site)"
            } else if let own = ctx.vehicle?.rfid, let tag = events[i].rfid, own != tag {
                detail = "plate \(plate) read with tag \(tag) at \(events[i].site); its registered tag is \(own)"
            } else { continue }
            out.append(Violation(.rfidMismatch, at: events[i].time, site: events[i].site, track, ctx, source: .gate,
                                 detail: detail, evidence: Evidence(pass: events[i])))
        }
    }

    /// presence_mismatch: a pass while the vehicle's GPS, interpolated from fixes at most
    /// 120 s away, was more than `presence_max_m` outside the gate's site.
    static func presence(_ track: VehicleTrack, _ ctx: RuleContext, into out: inout [Violation]) {
        let events = ctx.gateEvents
        for i in events.indices {
            guard let away = Presence.distance(track, ctx, at: events[i].time, site: events[i].site) else { continue }
            var evidence = Evidence(pass: events[i])
            evidence.fixRanges = [away.around]
            out.append(Violation(.presenceMismatch, at: events[i].time, site: events[i].site, track, ctx, source: .gate,
                                 detail: "gate pass \(events[i].direction.rawValue) at \(events[i].site) while the truck's GPS was \(Int(away.metres)) m outside it",
                                 evidence: evidence))
        }
    }

    /// The median of `sorted` with one occurrence of `value` left out (the others of a
    /// reading); `sorted` holds `value` and at least 2 more.
    static func median(of sorted: [Double], without value: Double) -> Double {
        let lo = sorted.partitionPoint { $0 < value }
        let n = sorted.count - 1
        func other(_ i: Int) -> Double { sorted[i < lo ? i : i + 1] }
        return n % 2 == 1 ? other(n / 2) : (other(n / 2 - 1) + other(n / 2)) / 2
    }
}

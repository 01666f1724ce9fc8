import MuckWatchCore
import MuckWatchAnalysis
import MuckWatchGeo

/// Rules over this vehicle's manifests (contract section 12), judged once the trips have
/// their manifests (`ManifestMatcher`).
enum ManifestRules {
    /// manifest_missing: a trip loaded at a construction site that matched no manifest
    /// (once it left the site: `Trip.leftSource`).
    static func missing(_ track: VehicleTrack, _ ctx: RuleContext, into out: inout [Violation]) {
        guard ctx.chain.hasManifests else { return }
        for (k, trip) in track.trips.enumerated() where trip.lacksManifest {
            let site = trip.sourceSite ?? "?"
            let end = track.end(of: trip)
            let f = track.nearestFix(to: trip.loadedAt) ?? track.fixes[trip.fixRange.lowerBound]
            out.append(Violation(vehicle: track.vehicle, type: .manifestMissing, start: trip.loadedAt, end: end,
                                 lon: f.lon, lat: f.lat, source: .manifest,
                                 detail: "trip from \(site) with no manifest opened within \(ctx.config.manifestMatchS / 60) min of loading",
                                 evidence: Evidence(fixRanges: [trip.loadedAt...end]), tripIndex: k))
        }
    }

    /// manifest_unclosed: still open `manifest_close_max_s` after `opened_at`, judged only
    /// once the data reaches past that moment.
    static func unclosed(_ track: VehicleTrack, _ ctx: RuleContext, into out: inout [Violation]) {
        let limit = ctx.config.manifestCloseMaxS
        for k in ctx.manifests.indices {
            let m = ctx.manifests[k]
            guard let due = m.overdue(limit: limit), ctx.dataEnd > due else { continue }
            let hours = limit % 3600 == 0 ? "\(limit / 3600) h" : "\(limit / 60) min"
            let state = m.closedAt == nil ? "still open" : "closed only at \(ctx.clock.format(m.closedAt!))"
            var evidence = Evidence(manifests: [m.id])
            evidence.add(gates: ctx.chain.gateEventIndices(manifestAt: k), of: ctx.chain)
            out.append(Violation(.manifestUnclosed, at: m.openedAt, site: m.sourceSite, track, ctx, source: .manifest,
                                 detail: "manifest \(m.id) from \(m.sourceSite) \(state) \(hours) after it was opened",
                                 evidence: evidence))
        }
    }

    /// manifest_mismatch: closed at a site other than where its trip unloaded (an illegal
    /// dump included), or while the vehicle's GPS was more than `presence_max_m` outside
    /// the closing site.
    static func mismatch(_ track: VehicleTrack, _ ctx: RuleContext, into out: inout [Violation]) {
        for k in ctx.manifests.indices {
            let m = ctx.manifests[k]
            guard let closedAt = m.closedAt, let site = m.closedSite else { continue }
            var evidence = Evidence(manifests: [m.id])
            let detail: String
            if let t = ManifestMatcher.trip(of: m, in: track.trips), let dumpedAt = track.trips[t].dumpedAt,
               track.trips[t].disposalSite != site {
                let trip = track.trips[t]
                evidence.fixRanges = [dumpedAt...(trip.dumpEnd ?? dumpedAt)]
                detail = "manifest \(m.id) closed at \(site), " +
                    (trip.disposalSite.map { "load unloaded at \($0)" } ?? "load dumped outside every site")
            } else if let away = Presence.distance(track, ctx, at: closedAt, site: site) {
                evidence.fixRanges = [away.around]
                detail = "manifest \(m.id) closed at \(site) while the truck's GPS was \(Int(away.metres)) m outside it"
            } else { continue }
            evidence.add(gates: ctx.chain.gateEventIndices(manifestAt: k), of: ctx.chain)
            out.append(Violation(.manifestMismatch, at: closedAt, site: site, track, ctx, source: .manifest,
                                 detail: detail, evidence: evidence))
        }
    }

    /// weight_discrepancy: received differs from the load that left by more than
    /// `weight_tolerance` of it; what left is the source gate's `out` weighing scanned with
    /// the manifest, else the declared tonnes.
    static func weight(_ track: VehicleTrack, _ ctx: RuleContext, into out: inout [Violation]) {
        for k in ctx.manifests.indices {
            let m = ctx.manifests[k]
            guard let closedAt = m.closedAt, let received = m.receivedT else { continue }
            let gates = ctx.chain.gateEventIndices(manifestAt: k), events = ctx.chain.gateEvents
            let weighed = gates.last { events[$0].direction == .out && events[$0].site == m.sourceSite && events[$0].netT != nil }
            let left = weighed.flatMap { events[$0].netT } ?? m.declaredT
            guard abs(received - left) > ctx.config.weightTolerance * left else { continue }
            var evidence = Evidence(manifests: [m.id])
            evidence.add(gates: gates, of: ctx.chain)
            let basis = weighed.map { "weighed out at \(events[$0].site) by \(events[$0].id)" } ?? "declared"
            out.append(Violation(.weightDiscrepancy, at: closedAt, site: m.closedSite, track, ctx, source: .manifest,
                                 detail: "received \(tonnes(received)) of \(tonnes(left)) \(basis) (manifest \(m.id))",
                                 evidence: evidence))
        }
    }
}

/// How far outside a site the vehicle's own GPS put it at a moment a record says it was
/// there (a gate pass, a manifest's closing): interpolated from fixes at most 120 s away.
enum Presence {
    /// The distance when it is more than `presence_max_m`; `nil` when within, when the
    /// site is unknown, or when the track has no fix near `t` (not judged).
    static func distance(_ track: VehicleTrack, _ ctx: RuleContext, at t: Int64,
                         site: String) -> (metres: Double, around: ClosedRange<Int64>)? {
        guard let fence = ctx.index.index(ofID: site),
              let p = track.position(at: t, maxGap: ctx.config.plateMismatchMaxFixGapS) else { return nil }
        let d = ctx.index.distance(toFence: fence, x: p.x, y: p.y)
        return d > ctx.config.presenceMaxM ? (d, p.around) : nil
    }
}

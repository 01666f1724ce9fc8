import Foundation
import MuckWatchCore
import MuckWatchStore

extension CasePageModel {
    /// One line of the timeline; `kind` (trip, violation, camera) is its CSS class.
    struct TimelineItem { var time: String; var text: String; var kind: String; var at: Int64 }

    /// Loading, unloading, violations and camera reads in the order they happened.
    static func timeline(_ c: StoredCase, cameras: [CameraEvent], names: FenceNames, clock: LocalClock)
        -> [TimelineItem] {
        var items: [TimelineItem] = []
        if let trip = c.trip {
            items.append(TimelineItem(time: Labels.clockTime(trip.loadedAt, clock),
                                      text: "loaded at " + (names.label(trip.sourceSite) ?? "an unknown place"),
                                      kind: "trip", at: trip.loadedAt))
            if let d = trip.dumpedAt {
                items.append(TimelineItem(time: Labels.clockTime(d, clock),
                                          text: "unloaded " + (trip.disposalSite.map { "at " + (names.label($0) ?? $0) } ?? "outside any disposal site"),
                                          kind: "trip", at: d))
            }
        }
        for (i, v) in c.violations.enumerated() {
            items.append(TimelineItem(time: Labels.clockTime(v.start, clock),
                                      text: "\(i + 1) · \(Labels.violation(v.type)) until \(Labels.clockTime(v.end, clock))",
                                      kind: "violation", at: v.start))
        }
        for e in cameras {
            items.append(TimelineItem(time: Labels.clockTime(e.time, clock),
                                      text: "camera \(names.label(e.checkpointID) ?? e.checkpointID): \(e.type.rawValue) (\(String(format: "%.2f", e.confidence)))",
                                      kind: "camera", at: e.time))
        }
        // Equal times keep the order they were added in (trip, violations, camera reads): the sort is stable.
        items.sort { $0.at < $1.at }
        return items
    }

    /// Manifests opened and closed, and gate passes with their net weight, unsorted.
    static func chainTimeline(_ manifests: [StoredManifest], gates: [StoredGateEvent], names: FenceNames,
                              clock: LocalClock) -> [TimelineItem] {
        var items: [TimelineItem] = []
        for m in manifests.map(\.manifest) {
            items.append(TimelineItem(time: Labels.clockTime(m.openedAt, clock),
                                      text: "manifest \(m.id) opened at \(names.label(m.sourceSite) ?? m.sourceSite)",
                                      kind: "manifest", at: m.openedAt))
            if let closed = m.closedAt {
                let site = m.closedSite.map { names.label($0) ?? $0 } ?? "an unknown site"
                items.append(TimelineItem(time: Labels.clockTime(closed, clock),
                                          text: "manifest \(m.id) closed at \(site)"
                                              + (m.receivedT.map { ", " + Labels.tonnes($0) + " received" } ?? ""),
                                          kind: "manifest", at: closed))
            }
        }
        for g in gates.map(\.event) {
            items.append(TimelineItem(time: Labels.clockTime(g.time, clock),
                                      text: "gate \(names.label(g.site) ?? g.site) \(g.direction.rawValue)"
                                          + (g.netT.map { ", net " + Labels.tonnes($0) } ?? ""),
                                      kind: "gate", at: g.time))
        }
        return items
    }
}

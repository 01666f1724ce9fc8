import Foundation
import MuckWatchCore
import MuckWatchStore

extension CasePageModel {
    /// A camera read a violation cites; the optional parts are `nil` when the store has no such read.
    struct CameraItem { var id: String; var checkpoint: String?; var time: String?; var kind: String?; var image: String? }

    /// One violation with its evidence, numbered as its marker on the map.
    struct ViolationItem {
        var n: Int, type: String, label: String, window: String, source: String, detail: String
        var fixRanges: String?, sensors: String?, cameras: Bool, cameraList: [CameraItem], images: String?
        /// Manifest and gate pass ids (contract v2 evidence); shown in full under the violations.
        /// Named apart from the page's own `manifests`: a missing key is looked up in the page.
        var manifestIDs: String?, gateIDs: String?
        var position: String
        /// Issue #24: the journal's raw fixes of the window (case page only).
        var rawFixes: RawFixTable? = nil
    }

    static func violations(_ violations: [StoredViolation], cameras: [CameraEvent], names: FenceNames,
                           clock: LocalClock) -> [ViolationItem] {
        let camerasByID = Dictionary(cameras.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return violations.enumerated().map { i, v in
            ViolationItem(
                n: i + 1, type: v.type.rawValue, label: Labels.violation(v.type),
                window: Labels.time(v.start, clock) + " – " + Labels.clockTime(v.end, clock), source: v.source.rawValue,
                detail: v.detail,
                fixRanges: v.evidence.fixRanges.isEmpty ? nil : v.evidence.fixRanges
                    .map { Labels.clockTime($0.lowerBound, clock) + "–" + Labels.clockTime($0.upperBound, clock) }
                    .joined(separator: ", "),
                sensors: v.evidence.sensorReadings.isEmpty ? nil : v.evidence.sensorReadings.joined(separator: "; "),
                cameras: !v.evidence.cameraEvents.isEmpty,
                cameraList: v.evidence.cameraEvents.map { CameraItem($0, read: camerasByID[$0], names: names, clock: clock) },
                images: v.evidence.images.isEmpty ? nil : v.evidence.images.joined(separator: ", "),
                manifestIDs: v.evidence.manifests.isEmpty ? nil : v.evidence.manifests.joined(separator: ", "),
                gateIDs: v.evidence.gateEvents.isEmpty ? nil : v.evidence.gateEvents.joined(separator: ", "),
                position: String(format: "%.6f, %.6f", v.lon, v.lat))
        }
    }
}

extension CasePageModel.CameraItem {
    init(_ id: String, read e: CameraEvent?, names: FenceNames, clock: LocalClock) {
        self.init(id: id, checkpoint: e.map { names.label($0.checkpointID) ?? $0.checkpointID },
                  time: e.map { Labels.clockTime($0.time, clock) },
                  kind: e.map { "\($0.type.rawValue), \(String(format: "%.2f", $0.confidence))" },
                  image: e?.image)
    }
}

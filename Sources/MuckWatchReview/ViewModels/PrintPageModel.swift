import Foundation
import MuckWatchCore
import MuckWatchStore

/// The printable evidence sheet (`/cases/:id/print`, template `case-print`): the case page's
/// content without its controls, with the images that resolve, when and from which run it was
/// generated. `page` is the case page's model, so both say the same things.
struct PrintPageModel {
    struct Image { var src: String; var caption: String }

    var page: CasePageModel
    var generated: String
    var runID: String
    var images: [Image]
    var hasImages: Bool

    init(_ record: CaseRecord, page: CasePageModel, generatedAt: Int64, runID: Int64?, imageRoot: String?) {
        self.page = page
        generated = record.clock.format(generatedAt)
        self.runID = runID.map(String.init) ?? "no run"
        images = EvidenceImages.cited(record).enumerated().compactMap { i, image in
            EvidenceImages.resolve(image.path, under: imageRoot) == nil ? nil
                : Image(src: "/cases/\(record.stored.caseID)/images/\(i)", caption: image.caption)
        }
        hasImages = !images.isEmpty
    }
}

/// The images a case's evidence names (its violations' images, the camera reads' and the gate
/// passes'), each once, and where one is on disk: only under the `serve --images` folder.
enum EvidenceImages {
    static func cited(_ record: CaseRecord) -> [(path: String, caption: String)] {
        var seen = Set<String>(), out: [(path: String, caption: String)] = []
        func add(_ path: String?, _ caption: String) {
            guard let path, !path.isEmpty, seen.insert(path).inserted else { return }
            out.append((path, caption))
        }
        let clock = record.clock
        for e in record.cameras { add(e.image, "camera \(e.checkpointID) \(Labels.time(e.time, clock)) · \(e.id)") }
        for v in record.stored.violations { for i in v.evidence.images { add(i, i) } }
        for g in record.gates.map(\.event) { add(g.image, "gate \(g.site) \(g.direction.rawValue) \(Labels.time(g.time, clock)) · \(g.id)") }
        return out
    }

    /// The file of `path` under `root`, when it exists and stays under it (no `..` out).
    static func resolve(_ path: String, under root: String?) -> String? {
        guard let root, !path.hasPrefix("/") else { return nil }
        let base = URL(fileURLWithPath: root).standardizedFileURL.path
        let file = URL(fileURLWithPath: base + "/" + path).standardizedFileURL.path
        guard file.hasPrefix(base + "/") else { return nil }
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) && !isDirectory.boolValue ? file : nil
    }

    static func contentType(_ path: String) -> String {
        switch (path as NSString).pathExtension.lowercased() {
        case "jpg", "jpeg": "image/jpeg"
        case "png": "image/png"
        case "gif": "image/gif"
        case "webp": "image/webp"
        default: "application/octet-stream"
        }
    }
}

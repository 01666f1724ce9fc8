public import MuckWatchCore

/// One feature of a fence file as read, usable or not. `analyze` stops at the first bad
/// fence; `muckwatch check` wants every one of them, with what else it can tell.
public struct FenceFeature: Sendable {
    public var file: String
    /// 1-based position in its file's feature list.
    public var number: Int
    /// `properties.id` when there is one.
    public var id: String?
    public var fence: Result<Fence, IngestError>
    /// Polygon rings whose last position does not repeat the first: GeoJSON requires it;
    /// MuckWatch closes such rings itself, other GIS tools may refuse the file.
    public var openRings: Int

    /// How a report names the feature: its id, else its place in the file.
    public var label: String { id.map { "fence '\($0)'" } ?? "feature #\(number)" }
}

extension FenceReader {
    /// Every feature of every fence file under `path`, each read on its own; a file that is
    /// not GeoJSON at all is one failure for that file. Duplicate ids are left to the caller.
    public static func survey(path: String) throws(IngestError) -> [Result<[FenceFeature], IngestError>] {
        var out: [Result<[FenceFeature], IngestError>] = []
        for file in try files(at: path) {
            do {
                out.append(.success(try features(file).enumerated().map { n, raw in feature(raw, number: n + 1, file: file) }))
            } catch {
                out.append(.failure(error))
            }
        }
        return out
    }

    private static func feature(_ raw: Any, number: Int, file: String) -> FenceFeature {
        guard let object = raw as? [String: Any] else {
            return FenceFeature(file: file, number: number, id: nil,
                                fence: .failure(.invalidFences(path: file, reason: "feature #\(number) is not an object")),
                                openRings: 0)
        }
        let id = JSONInput.string((object["properties"] as? [String: Any])?["id"]).flatMap { $0.isEmpty ? nil : $0 }
        let geometry = object["geometry"] as? [String: Any]
        let rings: [Any]
        switch geometry?["type"] as? String {
        case "Polygon": rings = geometry?["coordinates"] as? [Any] ?? []
        case "MultiPolygon": rings = (geometry?["coordinates"] as? [Any] ?? []).flatMap { $0 as? [Any] ?? [] }
        default: rings = []
        }
        let open = rings.count { ring in
            guard let r = ring as? [Any], let first = r.first as? [Any], let last = r.last as? [Any], r.count > 1 else { return false }
            return first.compactMap { JSONInput.number($0) ?? nil } != last.compactMap { JSONInput.number($0) ?? nil }
        }
        let fence: Result<Fence, IngestError>
        do { fence = .success(try Self.fence(object, number: number, file: file)) } catch { fence = .failure(error) }
        return FenceFeature(file: file, number: number, id: id, fence: fence, openRings: open)
    }
}

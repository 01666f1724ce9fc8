import Hummingbird
import MuckWatchCore
import MuckWatchStore
import NIOCore

/// `POST /cases/:id/photos` (multipart, field `photo`, one or more files) and
/// `GET /cases/:id/photos/:sha256` — issue #26.
///
/// Every file is checked by content (JPEG, PNG, WebP), size and name before any is kept; one
/// refused file refuses the upload, saying which and why. Kept files are named by their SHA-256
/// in the photo folder (outside anything served) and read back only through the GET, which
/// checks the case is the user's like the case page does.
struct PhotoRoutes {
    let store: ReviewStore
    let detail: CaseDetailRoutes
    let settings: FieldSettings

    func add(to group: RouterGroup<ReviewContext>) {
        group.post("/cases/:id/photos") { request, context in try await upload(request, context) }
        group.get("/cases/:id/photos/:sha") { _, context in try await photo(context) }
    }

    func upload(_ request: Request, _ context: ReviewContext) async throws -> Response {
        let session = try context.requireSession()
        let id = context.parameters.get("id") ?? ""
        // One upload's photos at the size limit, plus room for the form's fields and part headers:
        // anything larger is refused before it is read or parsed.
        let limit = settings.maxPhotoBytes * settings.maxPhotosPerUpload + 64 * 1024
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: limit)
        } catch {
            let mb = settings.maxPhotoBytes / (1024 * 1024)
            throw HTTPError(.contentTooLarge, message: "The upload is larger than \(settings.maxPhotosPerUpload) photos "
                + "of \(mb) MB: a photo may be at most \(mb) MB, and one upload carries at most "
                + "\(settings.maxPhotosPerUpload) photos.")
        }
        let parts = try MultipartForm.parse(body, contentType: request.headers[.contentType])
        let csrf = parts.first { $0.name == "csrf" && $0.fileName == nil }.map { String(decoding: $0.bytes, as: UTF8.self) }
        let c = try await FieldAccess(store: store).changeableCase(id, session, csrf: csrf)
        guard c.status == .dispatched || c.status == .resolved else {
            return try await detail.show(id, context, message: "Photos are added to a dispatched or handled case; "
                + "this one is \(c.status.rawValue).", status: .conflict)
        }
        let files = parts.filter { $0.name == "photo" }
        guard !files.isEmpty else {
            return try await detail.show(id, context, message: "Choose a photo to upload.", status: .badRequest)
        }
        var checked: [CheckedPhoto] = []
        for file in files {
            switch CheckedPhoto.check(file, limit: settings.maxPhotoBytes) {
            case let .success(photo): checked.append(photo)
            case let .failure(why):
                let status: HTTPResponse.Status = switch why {
                case .tooLarge: .contentTooLarge
                case .notAPhoto, .empty: .unsupportedMediaType
                case .badName, .tooMany: .badRequest
                }
                return try await detail.show(id, context, message: why.message(file.fileName ?? "(no name)"), status: status)
            }
        }
        let existing = try await store.with { s throws(StoreError) in try s.photos(caseID: id).map(\.facts.sha256) }
        let fresh = Set(checked.map(\.sha256)).subtracting(existing)
        if existing.count + fresh.count > settings.maxPhotosPerCase {
            return try await detail.show(id, context, message: PhotoRefusal.tooMany(limit: settings.maxPhotosPerCase)
                .message("") + " It has \(existing.count).", status: .badRequest)
        }
        let actor = session.user.name, max = settings.maxPhotosPerCase
        for photo in checked {
            try settings.folder.save(photo.bytes, sha256: photo.sha256)
            let facts = PhotoFacts(sha256: photo.sha256, mediaType: photo.kind.rawValue, bytes: photo.bytes.count,
                                   fileName: photo.fileName, taken: photo.exif.taken, gpsLat: photo.exif.lat,
                                   gpsLon: photo.exif.lon)
            try await store.with { s throws(StoreError) in _ = try s.addPhoto(caseID: id, facts, actor: actor, limit: max) }
        }
        return Renderer.redirect("/cases/\(id)#photos")
    }

    func photo(_ context: ReviewContext) async throws -> Response {
        let session = try context.requireSession()
        let id = context.parameters.get("id") ?? "", sha = context.parameters.get("sha") ?? ""
        _ = try await FieldAccess(store: store).visibleCase(id, session)
        guard PhotoFolder.isHash(sha),
              let stored = try await store.with({ s throws(StoreError) in try s.photo(caseID: id, sha256: sha) }),
              let data = settings.folder.load(sha256: sha) else {
            throw HTTPError(.notFound, message: "Case \(id) has no such photo.")
        }
        var headers = HTTPFields()
        headers[.contentType] = stored.facts.mediaType
        headers[.cacheControl] = "private, max-age=3600"
        headers[.contentDisposition] = "inline; filename=\"\(sha).\(PhotoKind(rawValue: stored.facts.mediaType)?.fileExtension ?? "bin")\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

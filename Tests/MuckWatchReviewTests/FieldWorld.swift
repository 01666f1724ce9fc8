import Foundation
import Hummingbird
import HummingbirdTesting
import MuckWatchCore
import MuckWatchReview
import MuckWatchStore

/// What the field tests (issue #26) add to `ReviewWorld`: an app with chosen settings, the
/// clock moved past the store's own audit rows, multipart uploads and the fixture photos.
extension ReviewWorld {
    func app(_ configure: (inout ReviewConfiguration) -> Void) throws -> some ApplicationProtocol {
        let clock = self.clock
        let store = try ReviewStore(path: db, now: { clock.now })
        var configuration = self.configuration()
        configure(&configuration)
        return Application(router: ReviewApp.router(store: store, configuration: configuration))
    }

    /// Moves the app's clock to `seconds` after the newest audit row (the analysis wrote them at
    /// the real time), so the app's rows come after the store's own.
    func startClock(after seconds: Int64 = 60) throws {
        let newest = try store().events(caseID: caseRouted(to: "city_management").caseID).map(\.at).max()!
        clock.advance(newest + seconds - clock.now)
    }

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/photos")

    static func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: fixtures.appendingPathComponent(name)))
    }
}

extension Browser {
    /// Posts a multipart form as a browser's file input does: the CSRF field, then each file as `photo`.
    @discardableResult
    mutating func upload(_ client: some TestClientProtocol, _ uri: String, files: [(name: String, bytes: [UInt8])],
                         csrf: String? = nil) async throws -> TestResponse {
        let boundary = "----MuckWatchTest\(UInt32.random(in: 0...UInt32.max))"
        var body: [UInt8] = []
        func add(_ s: String) { body += Array(s.utf8) }
        add("--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(csrf ?? self.csrf ?? "")\r\n")
        for f in files {
            add("--\(boundary)\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"\(f.name)\"\r\n")
            add("Content-Type: image/jpeg\r\n\r\n")
            body += f.bytes
            add("\r\n")
        }
        add("--\(boundary)--\r\n")
        var headers = cookieHeader
        headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
        let r = try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(bytes: body))
        remember(r)
        return r
    }
}

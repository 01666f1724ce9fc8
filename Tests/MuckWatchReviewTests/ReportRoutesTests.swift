import Foundation
import Hummingbird
import HummingbirdTesting
import MuckWatchCore
import MuckWatchReports
@testable import MuckWatchReview
import MuckWatchStore
import MuckWatchTestSupport
import Testing

/// The officers' reports through the router (issue #21): the Excel download, the evidence sheet
/// and its images, the replay's data, the reports page's server-side sort, the basemap's CSP.
@Suite("Review app: reports")
struct ReportRoutesTests {
    func app(_ world: ReviewWorld, _ configure: (inout ReviewConfiguration) -> Void = { _ in }) throws
        -> some ApplicationProtocol {
        let clock = world.clock
        var configuration = ReviewConfiguration(database: world.db)
        configure(&configuration)
        let store = try ReviewStore(path: world.db, now: { clock.now })
        return Application(router: ReviewApp.router(store: store, configuration: configuration))
    }

    @Test("The download is the workbook of the list's filters, narrowed to an officer's departments", arguments: StoreBackend.allCases)
    func download(backend: StoreBackend) async throws {
        let world = try await ReviewWorld.make(backend)
        defer { world.cleanup() }
        let store = try world.store()
        let base = ReviewConfiguration(database: world.db).resolvedLinkBase
        func workbook(_ filter: CaseFilter) throws -> [UInt8] {
            try XLSXWorkbook.bytes(of: try CaseWorkbook.build(store, filter: filter, linkBase: base))
        }
        let department = try workbook(CaseFilter(department: "city_management"))
        let visible = try workbook(CaseFilter(visibleDepartments: ["city_management"]))
        let everything = try workbook(CaseFilter())
        try await app(world).test(.router) { client in
            var b = Browser()
            _ = try await b.login(client, "wang")
            let list = try await b.get(client, "/cases?department=city_management&sort=vehicle&page=2")
            #expect(list.text.contains(#"href="/cases.xlsx?department=city_management""#))
            let r = try await b.get(client, "/cases.xlsx?department=city_management")
            #expect(r.status == .ok)
            #expect(r.headers[.contentType] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            #expect(r.headers[.contentDisposition]?.contains("attachment") == true)
            #expect(Array(buffer: r.body) == department)
            // No filter: still only wang's department, never the whole store.
            let all = try await b.get(client, "/cases.xlsx")
            #expect(Array(buffer: all.body) == visible)
            #expect(Array(buffer: all.body) != everything)
        }
    }

    @Test("The evidence sheet: own department only, generation time and run, images under --images only", arguments: StoreBackend.allCases)
    func printSheet(backend: StoreBackend) async throws {
        let world = try await ReviewWorld.make(backend)
        defer { world.cleanup() }
        let store = try world.store()
        // A case of wang's whose evidence cites a camera read.
        let theirs = try #require(try store.listCases(CaseFilter(department: "city_management")).first { row in
            (try? store.loadCase(id: row.caseID))?.violations.contains { !$0.evidence.cameraEvents.isEmpty } == true
        })
        let other = try world.caseRouted(to: "traffic_police", notTo: "city_management")
        let images = world.dir + "/images"
        let cited = try #require(try store.loadCase(id: theirs.caseID)).violations.flatMap(\.evidence.cameraEvents)
        let cameras = try store.cameraEvents(ids: cited)
        let run = try #require(try store.latestRun()).id, generated = store.clock.format(world.clock.now)
        try await app(world) { $0.imageRoot = images }.test(.router) { client in
            var b = Browser()
            _ = try await b.login(client, "wang")
            #expect(try await b.get(client, "/cases/\(other.caseID)/print").status == .forbidden)
            #expect(try await b.get(client, "/cases/NOPE/print").status == .notFound)
            var page = try await b.get(client, "/cases/\(theirs.caseID)/print")
            #expect(page.status == .ok)
            #expect(page.text.contains("Evidence sheet 证据单 · \(theirs.caseID)"))
            #expect(page.text.contains("store run \(run)"))
            #expect(page.text.contains("Generated 生成 " + generated))
            #expect(page.text.contains(#"id="chain""#) && page.text.contains(#"id="case-map""#))
            #expect(!page.text.contains("evidence-images"))
            // With one of its camera images on disk, the sheet shows it and the app serves it.
            let image = try #require(cameras.compactMap(\.image).first)
            try FileManager.default.createDirectory(atPath: images + "/" + (image as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try Data([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]).write(to: URL(fileURLWithPath: images + "/" + image))
            page = try await b.get(client, "/cases/\(theirs.caseID)/print")
            #expect(page.text.contains("/cases/\(theirs.caseID)/images/"))
            let src = try #require(page.text.range(of: #"<img src=""#).map { r in
                String(page.text[r.upperBound...].prefix { $0 != "\"" })
            })
            let served = try await b.get(client, src)
            #expect(served.status == .ok)
            #expect(served.headers[.contentType] == "image/jpeg")
            #expect(Array(buffer: served.body) == [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3])
            #expect(try await b.get(client, "/cases/\(theirs.caseID)/images/999").status == .notFound)
            #expect(try await b.get(client, "/cases/\(other.caseID)/images/0").status == .forbidden)
        }
    }

    @Test("Image paths resolve only inside the images folder")
    func imagePaths() throws {
        let root = NSTemporaryDirectory() + "muckwatch-images-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root + "/a", withIntermediateDirectories: true)
        try Data([1]).write(to: URL(fileURLWithPath: root + "/a/x.jpg"))
        try Data([1]).write(to: URL(fileURLWithPath: root + "-secret.jpg"))
        defer { try? FileManager.default.removeItem(atPath: root); try? FileManager.default.removeItem(atPath: root + "-secret.jpg") }
        #expect(EvidenceImages.resolve("a/x.jpg", under: root) != nil)
        #expect(EvidenceImages.resolve("a/../a/x.jpg", under: root) != nil)
        #expect(EvidenceImages.resolve("../" + (root as NSString).lastPathComponent + "-secret.jpg", under: root) == nil)
        #expect(EvidenceImages.resolve(root + "/a/x.jpg", under: root) == nil)
        #expect(EvidenceImages.resolve("a", under: root) == nil)
        #expect(EvidenceImages.resolve("a/x.jpg", under: nil) == nil)
    }

    @Test("Replay data: the track, the timeline's events, GCJ-02 on a GCJ-02 basemap", arguments: StoreBackend.allCases)
    func replay(backend: StoreBackend) async throws {
        let world = try await ReviewWorld.make(backend)
        defer { world.cleanup() }
        let c = try world.caseRouted(to: "city_management")
        let track = try world.store().track(caseID: c.caseID)
        struct Replay: Decodable {
            struct P: Decodable { var t: Int64; var lon: Double; var lat: Double }
            struct E: Decodable { var t: Int64; var text: String }
            var datum: String; var points: [P]; var events: [E]; var utcOffset: Int64
        }
        let plain = try await app(world).test(.router) { client -> Replay in
            var b = Browser()
            _ = try await b.login(client, "wang")
            let r = try await b.get(client, "/cases/\(c.caseID)/replay.json")
            #expect(r.headers[.contentType] == "application/json")
            let plain = try JSONDecoder().decode(Replay.self, from: Data(Array(buffer: r.body)))
            let page = try await b.get(client, "/cases/\(c.caseID)")
            #expect(page.text.contains(#"<script src="/static/replay.js" defer></script>"#))
            #expect(page.text.contains(#"data-at=""#) && page.text.contains(#"data-scale=""#))
            #expect(!page.text.contains("leaflet"))
            let js = try await b.get(client, "/static/replay.js")
            #expect(js.headers[.contentType]?.hasPrefix("text/javascript") == true)
            #expect(js.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
            return plain
        }
        let p = plain
        #expect(p.datum == "wgs84" && p.utcOffset == 8 * 3600)
        #expect(p.points.map(\.t) == track.map(\.time))
        #expect(p.points.map(\.lon) == track.map(\.lon))
        #expect(p.events.map(\.t) == p.events.map(\.t).sorted() && !p.events.isEmpty)

        let leaflet = try Self.fakeLeaflet()
        let basemap = try Basemap(template: "http://127.0.0.1:9/{z}/{x}/{y}.png", datum: .gcj02, leafletDirectory: leaflet)
        try await app(world) { $0.basemap = basemap }.test(.router) { client in
            var b = Browser()
            _ = try await b.login(client, "wang")
            let shifted = try JSONDecoder().decode(
                Replay.self, from: Data(Array(buffer: try await b.get(client, "/cases/\(c.caseID)/replay.json").body)))
            #expect(shifted.datum == "gcj02")
            for (a, s) in zip(p.points, shifted.points) {
                // Chongqing: GCJ-02 lies some 300–600 m east and a little south of WGS 84.
                #expect((0.002...0.008).contains(s.lon - a.lon) && abs(s.lat - a.lat) < 0.004)
            }
            let page = try await b.get(client, "/cases/\(c.caseID)")
            #expect(page.text.contains(#"id="basemap""#) && page.text.contains("/static/leaflet/leaflet.js"))
            #expect(page.headers[.contentSecurityPolicy]?.contains("img-src 'self' data: http://127.0.0.1:9;") == true)
            let js = try await b.get(client, "/static/leaflet/leaflet.js")
            #expect(js.status == .ok && js.text == "/* leaflet */")
            #expect(try await b.get(client, "/static/leaflet/images/layers.png").status == .ok)
        }
    }

    @Test("Basemap: a template without tiles' placeholders or without Leaflet is refused with what to do")
    func basemapErrors() throws {
        let leaflet = try Self.fakeLeaflet()
        #expect(throws: Basemap.LoadError.self) { try Basemap(template: "ftp://x/{z}/{x}/{y}", datum: .wgs84, leafletDirectory: leaflet) }
        #expect(throws: Basemap.LoadError.self) { try Basemap(template: "http://x/{z}/{x}.png", datum: .wgs84, leafletDirectory: leaflet) }
        do {
            _ = try Basemap(template: "http://x/{z}/{x}/{y}.png", datum: .wgs84, leafletDirectory: "/nonexistent")
            Issue.record("Leaflet found in a folder that does not exist")
        } catch { #expect(error.description.contains("/nonexistent/leaflet.js") && error.description.contains("libjs-leaflet")) }
        let sub = try Basemap(template: "https://{s}.tiles.example.gov.cn/{z}/{x}/{y}.png", datum: .wgs84, leafletDirectory: leaflet)
        #expect(sub.origin == "https://*.tiles.example.gov.cn")
    }

    @Test("The reports page: funnel totals and a league table sorted on the server", arguments: StoreBackend.allCases)
    func reportsPage(backend: StoreBackend) async throws {
        let world = try await ReviewWorld.make(backend)
        defer { world.cleanup() }
        let store = try world.store()
        let vehicles = try LeagueTable.load(store, .vehicle)
        let funnel = try FunnelReport.load(store)
        try await app(world).test(.router) { client in
            var b = Browser()
            _ = try await b.login(client, "wang")
            let page = try await b.get(client, "/reports?league=vehicle&sort=trips&dir=desc")
            #expect(page.status == .ok)
            let names = Self.cells(page.text, class: "league-name")
            #expect(names == vehicles.sorted(by: .trips, descending: true).rows.map(\.name))
            #expect(page.text.contains(#"<th class="n">\#(funnel.total.cases)</th>"#))
            let byName = try await b.get(client, "/reports?league=vehicle&sort=name")
            #expect(Self.cells(byName.text, class: "league-name") == vehicles.rows.map(\.name).sorted())
            let bad = try await b.get(client, "/reports?league=planet&from=yesterday")
            #expect(bad.text.contains("unknown league table “planet”") && bad.text.contains("“yesterday” is not a date"))
        }
    }

    /// The text of each `<td class="…">` of `html`, in order.
    static func cells(_ html: String, class name: String) -> [String] {
        html.components(separatedBy: #"<td class="\#(name)">"#).dropFirst().map { String($0.prefix { $0 != "<" }) }
    }

    /// A folder laid out like Debian's libjs-leaflet, with stand-in files (removed at exit: the
    /// app reads it for as long as it serves).
    static func fakeLeaflet() throws -> String {
        let dir = ProcessScratch.folder("muckwatch-leaflet")
        try FileManager.default.createDirectory(atPath: dir + "/images", withIntermediateDirectories: true)
        try "/* leaflet */".write(toFile: dir + "/leaflet.js", atomically: true, encoding: .utf8)
        try ".leaflet-container {}".write(toFile: dir + "/leaflet.css", atomically: true, encoding: .utf8)
        try Data([0x89, 0x50]).write(to: URL(fileURLWithPath: dir + "/images/layers.png"))
        return dir
    }
}

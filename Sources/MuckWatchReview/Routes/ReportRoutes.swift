import Foundation
import Hummingbird
import MuckWatchCore
import MuckWatchReports
import MuckWatchStore

/// Officers' reports (issue #21): the Excel download of the case list's filters (`/cases.xlsx`,
/// the same file `muckwatch cases export --xlsx` writes), the funnel and league tables
/// (`/reports`), the printable evidence sheet (`/cases/:id/print`) with the images it cites, and
/// the track replay's data (`/cases/:id/replay.json`).
struct ReportRoutes {
    let store: ReviewStore
    let renderer: Renderer
    let fences: FenceCache
    let configuration: ReviewConfiguration

    func add(to group: RouterGroup<ReviewContext>) {
        group.get("/cases.xlsx") { request, context in try await workbook(request, context) }
        group.get("/reports") { request, context in try await reports(request, context) }
        group.get("/cases/:id/print") { _, context in try await printSheet(context) }
        group.get("/cases/:id/replay.json") { _, context in try await replay(context) }
        group.get("/cases/:id/images/:n") { _, context in try await image(context) }
    }

    func workbook(_ request: Request, _ context: ReviewContext) async throws -> Response {
        guard let session = context.session else { throw HTTPError(.unauthorized) }
        var query = CaseListQuery(request.uri.queryParameters)
        query.restrict(to: session.user)
        let filter = query.filter, base = configuration.resolvedLinkBase
        let book = try await store.with { s throws(StoreError) in try CaseWorkbook.build(s, filter: filter, linkBase: base) }
        let bytes: [UInt8]
        do { bytes = try XLSXWorkbook.bytes(of: book) } catch {
            return renderer.problem(.internalServerError, "The Excel file could not be written: \(error)", session: session)
        }
        var headers = HTTPFields()
        headers[.contentType] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        headers[.contentDisposition] = "attachment; filename=\"muckwatch-cases.xlsx\""
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    func reports(_ request: Request, _ context: ReviewContext) async throws -> Response {
        guard let session = context.session else { throw HTTPError(.unauthorized) }
        let query = ReportsPageModel.Query(request.uri.queryParameters)
        let (from, to, dimension) = (query.from, query.to, query.league)
        let (funnel, table) = try await store.with { s throws(StoreError) in
            (try FunnelReport.load(s, from: from, to: to), try LeagueTable.load(s, dimension, from: from, to: to))
        }
        return renderer.page("reports", ReportsPageModel(query, funnel: funnel, table: table), title: "Reports",
                             session: session)
    }

    /// The case `context` names, when the session may see it; otherwise the problem page to send.
    func visibleCase(_ context: ReviewContext) async throws -> Result<(CaseRecord, Session), ProblemResponse> {
        guard let session = context.session else { throw HTTPError(.unauthorized) }
        let id = context.parameters.get("id") ?? ""
        guard id.utf8.count <= 64,
              let record = try await store.with({ s throws(StoreError) in try CaseRecord.load(id, from: s) }) else {
            return .failure(ProblemResponse(renderer.problem(.notFound, "There is no case \(id).", session: session)))
        }
        guard session.user.canSee(caseDepartments: record.stored.departments) else {
            return .failure(ProblemResponse(renderer.problem(
                .forbidden, "Case \(id) is routed to \(record.stored.departments.joined(separator: ", ")), "
                    + "not to your department.", session: session)))
        }
        return .success((record, session))
    }

    func printSheet(_ context: ReviewContext) async throws -> Response {
        let (record, session): (CaseRecord, Session)
        switch try await visibleCase(context) {
        case .failure(let problem): return problem.response
        case .success(let found): (record, session) = found
        }
        let shapes = try await fences.shapes(store)
        let (now, run) = try await store.with { s throws(StoreError) in (s.currentTime(), try s.latestRun()?.id) }
        let page = CasePageModel(record, shapes: shapes, viewer: Viewer(session), message: nil)
        let model = PrintPageModel(record, page: page, generatedAt: now, runID: run, imageRoot: configuration.imageRoot)
        return renderer.page("case-print", model, title: "Evidence sheet \(record.stored.caseID)", session: session)
    }

    func replay(_ context: ReviewContext) async throws -> Response {
        let record: CaseRecord
        switch try await visibleCase(context) {
        case .failure(let problem): return problem.response
        case .success(let found): record = found.0
        }
        let data = ReplayData(record, shapes: try await fences.shapes(store), basemap: configuration.basemap)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Renderer.response(String(decoding: try encoder.encode(data), as: UTF8.self),
                                 contentType: "application/json")
    }

    func image(_ context: ReviewContext) async throws -> Response {
        let record: CaseRecord
        switch try await visibleCase(context) {
        case .failure(let problem): return problem.response
        case .success(let found): record = found.0
        }
        let cited = EvidenceImages.cited(record)
        guard let n = context.parameters.get("n").flatMap(Int.init), cited.indices.contains(n),
              let file = EvidenceImages.resolve(cited[n].path, under: configuration.imageRoot),
              let data = FileManager.default.contents(atPath: file) else {
            return renderer.problem(.notFound, "This case has no such image, or its file is not under the images folder.",
                                    session: context.session)
        }
        var headers = HTTPFields()
        headers[.contentType] = EvidenceImages.contentType(file)
        headers[.cacheControl] = "private, max-age=300"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: [UInt8](data))))
    }
}

/// A problem page already rendered, carried out of a lookup that failed.
struct ProblemResponse: Error {
    let response: Response
    init(_ response: Response) { self.response = response }
}

extension ReportRoutes {
    /// The reports' scripts and, with a basemap, Leaflet's files (read at start, see `Basemap`):
    /// public like the stylesheet, so the login page and the print page load them alike.
    static func addStatic(to router: Router<ReviewContext>, basemap: Basemap?) {
        router.get("/static/replay.js") { _, _ in
            Renderer.response(ReportScripts.replay, contentType: "text/javascript; charset=utf-8")
        }
        router.get("/static/print.js") { _, _ in
            Renderer.response(ReportScripts.print, contentType: "text/javascript; charset=utf-8")
        }
        guard let basemap else { return }
        for (name, bytes) in basemap.files {
            let type = name.hasSuffix(".js") ? "text/javascript; charset=utf-8"
                : name.hasSuffix(".css") ? "text/css; charset=utf-8" : EvidenceImages.contentType(name)
            router.get(RouterPath("/static/leaflet/" + name)) { _, _ in
                var headers = HTTPFields()
                headers[.contentType] = type
                headers[.cacheControl] = "public, max-age=86400"
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
            }
        }
    }
}

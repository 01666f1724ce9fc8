import Foundation
import Hummingbird
import MuckWatchCore
import MuckWatchJudge
import MuckWatchStore
import OpenAPIRuntime

/// `GET /api/v1/cases`, `GET /api/v1/cases/{id}`, `POST /api/v1/cases/{id}/transitions`.
struct CaseEndpoints {
    let store: APIStore

    /// One page of the cases the filters select, the token's departments' only.
    func list(_ q: Operations.ListCases.Input.Query, token: APIToken) async throws -> Components.Schemas.CasePage {
        var filter = CaseFilter()
        filter.status = q.status.flatMap { Case.Status(rawValue: $0.rawValue) }
        filter.type = q._type.flatMap { ViolationType(rawValue: $0.rawValue) }
        filter.department = QueryValues.text(q.department)
        filter.company = QueryValues.text(q.company)
        filter.vehicle = QueryValues.text(q.vehicle)
        filter.dateFrom = try QueryValues.date(q.from, field: "from")
        filter.dateTo = try QueryValues.date(q.to, field: "to")
        filter.includeSuperseded = q.superseded ?? false
        if !token.departments.isEmpty { filter.visibleDepartments = token.departments }
        let limit = try QueryValues.limit(q.limit)
        let key = try PageCursor.caseKey(q.cursor)
        // One row past the page says whether another page follows.
        let rows = try await store.with { [filter] s throws(StoreError) in
            try s.casePage(filter, sort: .date, descending: true, offset: 0, limit: limit + 1, after: key)
        }
        let page = rows.prefix(limit)
        let next = rows.count > limit ? page.last.map { PageCursor.encode([$0.date.description, $0.caseID]) } : nil
        return .init(cases: page.map(Components.Schemas.CaseSummary.init), nextCursor: next)
    }

    /// The case as `cases.json` has it, its audit trail and where it may go next.
    func detail(_ id: String, token: APIToken) async throws -> Components.Schemas.CaseDetail {
        let found = try await store.with { s throws(StoreError) -> (StoredCase, String?, Bool, LocalClock)? in
            guard let c = try s.loadCase(id: id) else { return nil }
            return (c, try s.matchedManifestID(caseID: id), try s.hasManifests(), s.clock)
        }
        guard let (stored, manifestID, chain, clock) = found else { throw APIProblem.notFound("no case \(id)", field: "id") }
        try APICaller.requireCase(id, departments: stored.departments, token: token)
        let bytes = Data(CaseDocument.bytes(stored, manifestID: manifestID, chain: chain, clock: clock))
        // Answered as written (nulls included, as in cases.json), after reading it as the document's
        // `Case` schema: a drift between the spec and the contract's encoder fails the request.
        _ = try JSONDecoder().decode(Components.Schemas.Case.self, from: bytes)
        return .init(
            _case: .init(additionalProperties: try JSONDecoder().decode(OpenAPIObjectContainer.self, from: bytes)),
            superseded: stored.superseded,
            audit: stored.events.map { e in
                .init(at: clock.format(e.at), actor: e.actor, action: e.action, from: e.fromStatus?.rawValue,
                      to: e.toStatus?.rawValue, note: e.note)
            },
            allowedTransitions: CaseWorkflow.allowedTargets(from: stored.status).compactMap { .init(rawValue: $0.rawValue) })
    }

    /// Moves the case through the workflow as the web app does (`CaseStore.setStatus`: the
    /// workflow's check and the audit row under `token:NAME` in one transaction).
    func transition(_ id: String, _ t: Components.Schemas.Transition, token: APIToken) async throws
        -> Components.Schemas.CaseDetail {
        guard let target = Case.Status(rawValue: t.to.rawValue) else {
            throw APIProblem.badRequest("unknown status \(t.to.rawValue)", field: "to")
        }
        let note = t.note.map { String($0.prefix(2000)) }
        let outcome = try await store.with { s throws(StoreError) -> TransitionOutcome in
            guard let departments = try s.loadCase(id: id)?.departments else { return .notFound }
            guard token.canSee(caseDepartments: departments) else { return .notVisible }
            do throws(StoreError) {
                try s.setStatus(caseID: id, to: target, actor: token.actor, note: note)
                return .done
            } catch {
                switch error {
                case .noteRequired: return .refused(.badRequest("a dismissal needs a note saying why", field: "note"))
                case .invalidTransition: return .refused(APIProblem(status: .conflict, message: error.description, field: "to"))
                case .caseNotFound: return .notFound
                default: throw error
                }
            }
        }
        switch outcome {
        case .done: return try await detail(id, token: token)
        case .notFound: throw APIProblem.notFound("no case \(id)", field: "id")
        case .notVisible: throw APICaller.notVisible(id, token: token)
        case .refused(let problem): throw problem
        }
    }

    private enum TransitionOutcome: Sendable {
        case done, notFound, notVisible, refused(APIProblem)
    }
}

extension Components.Schemas.CaseSummary {
    init(_ r: CaseSummaryRow) {
        self.init(caseId: r.caseID, vehicleId: r.vehicleID, company: r.company, status: .init(rawValue: r.status.rawValue)!,
                  departments: r.departments, date: r.date.description, violationTypes: r.violationTypes.map(\.rawValue),
                  sourceSite: r.sourceSite, disposalSite: r.disposalSite, superseded: r.superseded)
    }
}

import Hummingbird
import MuckWatchCore
import MuckWatchJudge
import MuckWatchStore

/// `GET /my` (the officer's dispatched cases, oldest first) and `GET /overdue` (cases past a
/// deadline, per department) — issue #26.
struct FieldRoutes {
    let store: ReviewStore
    let renderer: Renderer
    let fences: FenceCache
    let settings: FieldSettings

    func add(to group: RouterGroup<ReviewContext>) {
        group.get("/my") { _, context in try await my(context) }
        group.get("/overdue") { _, context in try await overdue(context) }
    }

    func my(_ context: ReviewContext) async throws -> Response {
        let session = try context.requireSession()
        let visible = session.user.role.seesAll ? nil : session.user.departments
        let (cases, now, clock) = try await store.with { s throws(StoreError) in
            (try s.caseTimes(.statuses([.dispatched]), visibleDepartments: visible), s.currentTime(), s.clock)
        }
        let model = MyCasesModel(cases, user: session.user, policy: settings.deadlines, now: now, clock: clock,
                                 names: FenceNames(try await fences.shapes(store)))
        return renderer.page("my", model, title: "My cases", session: session)
    }

    func overdue(_ context: ReviewContext) async throws -> Response {
        let session = try context.requireSession()
        let visible = session.user.role.seesAll ? nil : session.user.departments
        let (cases, now, clock) = try await store.with { s throws(StoreError) in
            (try s.caseTimes(.statuses([.open, .dispatched]), visibleDepartments: visible), s.currentTime(), s.clock)
        }
        let late = HandlingFigures.overdue(cases, policy: settings.deadlines, now: now)
        return renderer.page("overdue", OverdueModel(late, policy: settings.deadlines, now: now, clock: clock),
                             title: "Overdue", session: session)
    }
}

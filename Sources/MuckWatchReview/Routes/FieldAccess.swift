import Hummingbird
import MuckWatchStore

/// The checks every field route (issue #26) makes before touching a case: a session, a case
/// that exists, routed to the user's department; for a form, its CSRF token and a role that acts.
struct FieldAccess {
    let store: ReviewStore

    /// The case `id` when `session`'s user may see it; else the 404 or 403 as an `HTTPError`.
    func visibleCase(_ id: String, _ session: Session) async throws -> StoredCase {
        guard id.utf8.count <= 64, let c = try await store.with({ s throws(StoreError) in try s.loadCase(id: id) }) else {
            throw HTTPError(.notFound, message: "There is no case \(id).")
        }
        guard session.user.canSee(caseDepartments: c.departments) else {
            throw HTTPError(.forbidden, message: "Case \(id) is routed to \(c.departments.joined(separator: ", ")), not to your department.")
        }
        return c
    }

    /// A urlencoded form posted to `/cases/:id/…`, read and checked like `changeableCase`.
    func post<Form: Decodable & CSRFCarrying>(_ type: Form.Type, _ request: Request, _ context: ReviewContext)
        async throws -> (session: Session, id: String, form: Form) {
        let session = try context.requireSession()
        let id = context.parameters.get("id") ?? ""
        let form = try await decodeForm(Form.self, request, context)
        _ = try await changeableCase(id, session, csrf: form.csrf)
        return (session, id, form)
    }

    /// The case of a form post: the token must be the session's and the user's role must act.
    func changeableCase(_ id: String, _ session: Session, csrf: String?) async throws -> StoredCase {
        guard csrf == session.csrf else {
            throw HTTPError(.forbidden, message: "This form has expired or did not come from this app; reload the case page and try again.")
        }
        guard session.user.role.acts else { throw HTTPError(.forbidden, message: "Auditors cannot change cases.") }
        return try await visibleCase(id, session)
    }
}

/// A form that echoes the session's CSRF token.
protocol CSRFCarrying {
    var csrf: String? { get }
}

extension ReviewStore {
    /// Runs a change; when the store refuses it, `refusal` turns the error into the message and
    /// status to show on the case page (`nil` means the error is not a refusal and is thrown).
    func attempt(_ change: @Sendable (CaseStore) throws(StoreError) -> Void,
                 refusal: @Sendable (StoreError) -> (String, HTTPResponse.Status)?) throws
        -> (message: String, status: HTTPResponse.Status)? {
        try with { s throws(StoreError) -> (String, HTTPResponse.Status)? in
            do throws(StoreError) {
                try change(s)
                return nil
            } catch {
                guard let shown = refusal(error) else { throw error }
                return shown
            }
        }
    }
}

extension ReviewContext {
    /// The logged-in session (the session middleware guarantees one on these routes).
    func requireSession() throws -> Session {
        guard let session else { throw HTTPError(.unauthorized) }
        return session
    }
}

import Foundation
import Hummingbird
import HummingbirdTesting
import MuckWatchCore
import MuckWatchStore
import MuckWatchTestSupport
import Testing

/// `POST /api/v1/cases/{id}/transitions`: the web app's workflow and audit, under `token:NAME`.
@Suite("API: moving cases through the workflow")
struct TransitionTests {
    @Test(arguments: StoreBackend.allCases, [false, true])
    func aTransitionIsAuditedUnderTheTokensName(backend: StoreBackend, live: Bool) async throws {
        let world = try await APIWorld.make(backend)
        defer { world.cleanup() }
        let store = try world.store()
        let c = try #require(try store.listCases(CaseFilter(department: "city_management", status: .open)).first)
        try await world.test(live: live) { client in
            let r = try await client.execute(uri: "/api/v1/cases/\(c.caseID)/transitions", method: .post,
                                             headers: world.headers("cm", json: true),
                                             body: ByteBuffer(string: #"{"to":"dispatched","note":"sent to the enforcement team"}"#))
            #expect(r.status == .ok)
            let body = try json(r)
            #expect((body["case"] as? [String: Any])?["status"] as? String == "dispatched")
            #expect(body["allowed_transitions"] as? [String] == ["resolved", "dismissed"])
            let last = try #require((body["audit"] as? [[String: Any]])?.last)
            #expect(last["actor"] as? String == "token:cm")
            #expect(last["note"] as? String == "sent to the enforcement team")
        }
        let stored = try #require(try store.loadCase(id: c.caseID))
        #expect(stored.status == .dispatched)
        let row = try #require(stored.events.last)
        #expect(row.actor == "token:cm")
        #expect(row.action == "status")
        #expect(row.fromStatus == .open && row.toStatus == .dispatched)
    }

    @Test(arguments: StoreBackend.allCases, [false, true])
    func theWorkflowRefusesWhatItDoesNotAllow(backend: StoreBackend, live: Bool) async throws {
        let world = try await APIWorld.make(backend)
        defer { world.cleanup() }
        let store = try world.store()
        let c = try #require(try store.listCases(CaseFilter(status: .open)).first)
        let eventsBefore = try store.events(caseID: c.caseID).count
        try await world.test(live: live) { client in
            func post(_ body: String) async throws -> TestResponse {
                try await client.execute(uri: "/api/v1/cases/\(c.caseID)/transitions", method: .post,
                                         headers: world.headers("ops", json: true), body: ByteBuffer(string: body))
            }
            // open → resolved skips dispatch: refused, naming what is allowed.
            let illegal = try await post(#"{"to":"resolved"}"#)
            #expect(illegal.status == .conflict)
            let message = try json(illegal)["error"] as? String ?? ""
            #expect(message.contains("dispatched") && message.contains("dismissed"))
            #expect(try json(illegal)["field"] as? String == "to")
            // A dismissal without a reason.
            let noNote = try await post(#"{"to":"dismissed","note":"   "}"#)
            #expect(noNote.status == .badRequest)
            #expect(try json(noNote)["field"] as? String == "note")
            // Not a status; not JSON; no `to`.
            for (body, field) in [(#"{"to":"archived"}"#, "to"), (#"{"note":"x"}"#, "to"), ("{", "body")] {
                let r = try await post(body)
                #expect(r.status == .badRequest, "\(body)")
                #expect(try json(r)["field"] as? String == field, "\(body): \(r.text)")
            }
            let unknown = try await client.execute(uri: "/api/v1/cases/C-NOPE/transitions", method: .post,
                                                   headers: world.headers("ops", json: true),
                                                   body: ByteBuffer(string: #"{"to":"dispatched"}"#))
            #expect(unknown.status == .notFound)
        }
        #expect(try store.loadCase(id: c.caseID)?.status == .open)
        #expect(try store.events(caseID: c.caseID).count == eventsBefore)
    }
}

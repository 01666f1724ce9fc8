import MuckWatchCore
import MuckWatchJudge
import MuckWatchReview
import Testing

@Suite("serve --config: deadlines (issue #26)")
struct DeadlineConfigTests {
    @Test("Defaults, rules per department and type, the strictest applying limit")
    func rules() throws {
        let policy = try DeadlineConfig.parse(text: """
            { "webhooks": [], "deadlines": { "dispatch_hours": 3, "handle_hours": 48, "rules": [
              { "department": "city_management", "handle_hours": 24 },
              { "type": "illegal_dump", "dispatch_hours": 1, "handle_hours": 12 },
              { "department": "traffic_police", "type": "speeding", "dispatch_hours": 0.5 } ] } }
            """, file: "serve.json")
        #expect(policy.limits(departments: ["ecology"], types: [.overload]) == DeadlineLimits(dispatchSeconds: 3 * 3600, handleSeconds: 48 * 3600))
        #expect(policy.limits(departments: ["city_management"], types: [.overload]) == DeadlineLimits(dispatchSeconds: 3 * 3600, handleSeconds: 24 * 3600))
        #expect(policy.limits(departments: ["city_management"], types: [.illegalDump, .speeding]) == DeadlineLimits(dispatchSeconds: 3600, handleSeconds: 12 * 3600))
        #expect(policy.limits(departments: ["traffic_police"], types: [.speeding]) == DeadlineLimits(dispatchSeconds: 1800, handleSeconds: 48 * 3600))
        #expect(try DeadlineConfig.parse(text: "{}", file: "x.json") == DeadlinePolicy())
        #expect(DeadlinePolicy().defaults == DeadlineLimits(dispatchSeconds: 7200, handleSeconds: 86400))
    }

    @Test("Mistakes are named by file and field")
    func mistakes() {
        let bad: [(String, String)] = [
            (#"{"deadlines": {"dispatch_hour": 2}}"#, "serve.json: deadlines.dispatch_hour: unknown key"),
            (#"{"deadlines": {"handle_hours": -1}}"#, "deadlines.handle_hours: must be a number of hours above 0"),
            (#"{"deadlines": {"rules": [{"type": "littering", "dispatch_hours": 1}]}}"#, "deadlines.rules[0].type: must be a violation type"),
            (#"{"deadlines": {"rules": [{"dispatch_hours": 1}]}}"#, "deadlines.rules[0]: names neither a department nor a type"),
            (#"{"deadlines": {"rules": [{"department": "x"}]}}"#, "sets neither dispatch_hours nor handle_hours"),
            ("[1]", "serve.json: the file is not a JSON object"),
        ]
        for (text, message) in bad {
            #expect(throws: DeadlineConfig.Problem.self) { try DeadlineConfig.parse(text: text, file: "serve.json") }
            do {
                _ = try DeadlineConfig.parse(text: text, file: "serve.json")
            } catch {
                #expect(error.description.contains(message), "\(error.description)")
            }
        }
    }
}

import Foundation
import MuckWatchCore
import MuckWatchIngest
import Testing
@testable import MuckWatchDispatch

/// The dispatch keys of a `--config` file: read whole, every mistake named by file and key.
@Suite struct DispatchConfigTests {
    func read(_ json: String) throws(DispatchConfigError) -> DispatchSettings {
        let dir = try! TempDir()
        defer { dir.cleanup() }
        let path = dir.path("config.json")
        _ = FileManager.default.createFile(atPath: path, contents: Data(json.utf8))
        return try DispatchConfigReader.read(path: path)
    }

    func error(_ json: String) -> DispatchConfigError? {
        do { _ = try read(json) } catch { return error }
        return nil
    }

    @Test func aFullConfig() throws {
        let s = try read("""
            {"timezone": "Asia/Shanghai",
             "dispatch_webhooks": {"city_management": {"url": "http://127.0.0.1:9000/hook", "secret": "s3cret"}},
             "dispatch_worker": {"first_delay_ms": 50, "max_delay_s": 60, "give_up_after_s": 86400, "timeout_ms": 500,
                                 "poll_ms": 20, "scan_every_ms": 1000},
             "auto_dispatch": [{"type": "unsealed", "source": "camera", "min_confidence": 0.9},
                               {"name": "dumps", "type": "illegal_dump", "departments": ["city_management"]}]}
            """)
        #expect(s.webhooks == ["city_management": Webhook(url: "http://127.0.0.1:9000/hook", secret: "s3cret")])
        #expect(s.retry == RetryPolicy(firstDelayMs: 50, maxDelayMs: 60_000, giveUpAfterMs: 86_400_000, timeoutMs: 500))
        #expect(s.pollMs == 20 && s.scanEveryMs == 1000)
        #expect(s.rules == [
            AutoDispatchRule(name: "auto_dispatch[0]", type: .unsealed, source: .camera, minConfidence: 0.9),
            AutoDispatchRule(name: "dumps", type: .illegalDump, departments: ["city_management"]),
        ])
        #expect(try read("{}").isEmpty)
    }

    @Test func mistakesNameTheKeyAndWhatWouldDo() {
        let cases: [(String, String, String)] = [
            (#"{"dispatch_webhooks": {"cm": {"url": "ftp://x/", "secret": "s"}}}"#, "dispatch_webhooks.cm.url", "http"),
            (#"{"dispatch_webhooks": {"cm": {"url": "http://x/"}}}"#, "dispatch_webhooks.cm.secret", "non-empty"),
            (#"{"dispatch_webhooks": {"cm": {"url": "http://x/", "secret": "s", "sekret": 1}}}"#, "dispatch_webhooks.cm.sekret", "unknown key"),
            (#"{"dispatch_webhooks": []}"#, "dispatch_webhooks", "department"),
            (#"{"dispatch_worker": {"first_delay_ms": 0}}"#, "dispatch_worker.first_delay_ms", "from 1"),
            (#"{"dispatch_worker": {"retries": 3}}"#, "dispatch_worker.retries", "unknown key"),
            (#"{"auto_dispatch": {"type": "unsealed"}}"#, "auto_dispatch", "list"),
            (#"{"auto_dispatch": [{"type": "unseal"}]}"#, "auto_dispatch[0].type", "unsealed"),
            (#"{"auto_dispatch": [{"type": "unsealed", "source": "radar"}]}"#, "auto_dispatch[0].source", "camera"),
            (#"{"auto_dispatch": [{"type": "unsealed", "min_confidence": 2}]}"#, "auto_dispatch[0].min_confidence", "0 to 1"),
        ]
        for (json, key, hint) in cases {
            let e = error(json)
            #expect(e?.key == key, "\(json)")
            #expect(e?.reason.contains(hint) == true, "\(json): \(e?.reason ?? "no error")")
            #expect(e?.description.hasSuffix("config.json: \(key): \(e?.reason ?? "")") == true)
        }
        #expect(error("[1]")?.reason == "not a JSON object")
    }

    @Test func theAnalysisReaderAcceptsTheDispatchKeys() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let path = dir.path("config.json")
        _ = FileManager.default.createFile(atPath: path, contents: Data(#"""
            {"speed_limit_kmh": 50, "dispatch_webhooks": {}, "dispatch_worker": {}, "auto_dispatch": []}
            """#.utf8))
        #expect(try ConfigReader.read(path: path).speedLimitKmh == 50)
    }

    @Test func backoffDoublesUpToItsCapWithFullJitter() {
        let p = RetryPolicy(firstDelayMs: 100, maxDelayMs: 1000, giveUpAfterMs: 10_000, timeoutMs: 100)
        #expect((1...6).map { p.ceilingMs(afterFailures: $0) } == [100, 200, 400, 800, 1000, 1000])
        #expect(p.ceilingMs(afterFailures: 500) == 1000)
        #expect(p.delayMs(afterFailures: 3, unit: 0) == 0)
        #expect(p.delayMs(afterFailures: 3, unit: 0.5) == 200)
        #expect(p.delayMs(afterFailures: 3, unit: 0.999_999) == 399)
    }
}

import Foundation
import MuckWatchCore
import MuckWatchStore
import Testing

/// `muckwatch dispatch status --db F` (the built binary): each delivery with its tries.
@Suite struct DispatchStatusCommandTests {
    func run(_ arguments: [String]) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: ServeProcess.binary!)
        p.arguments = arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test(.enabled(if: ServeProcess.binary != nil, "the muckwatch binary is not built"))
    func listsDeliveriesWithTheirTries() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let store = try DispatchWorld.store(at: dir.storePath, cases: 2, targets: ["city_management"])
        for i in 0..<2 { try store.setStatus(caseID: DispatchWorld.caseID(i), to: .dispatched, actor: "wang", note: nil) }
        let first = try #require(try store.deliveries(caseID: DispatchWorld.caseID(0)).first)
        try store.recordAttempts([
            (first.id, DeliveryAttempt(atUnix: first.createdUnix, durationMs: 31, httpStatus: 500, error: "HTTP 500: down"),
             .retry(atMs: 0)),
            (first.id, DeliveryAttempt(atUnix: first.createdUnix + 1, durationMs: 7, httpStatus: 200, error: nil), .delivered),
        ])

        let (status, text) = try run(["dispatch", "status", "--db", dir.storePath])
        #expect(status == 0)
        let lines = text.split(separator: "\n").map(String.init)
        let head = try #require(lines.firstIndex { $0.hasPrefix(DispatchWorld.caseID(0)) })
        #expect(lines[head].contains("city_management  delivered  tries 2  key \(first.idempotencyKey)"))
        #expect(lines[head + 1].hasSuffix("HTTP 500  31 ms  HTTP 500: down"))
        #expect(lines[head + 2].hasSuffix("HTTP 200  7 ms"))
        #expect(lines.contains { $0.hasPrefix(DispatchWorld.caseID(1)) && $0.contains("pending  tries 0") })
        #expect(lines.last == "2 deliveries listed; in the store: pending 1, delivered 1, failed 0")

        let (_, failed) = try run(["dispatch", "status", "--db", dir.storePath, "--state", "failed"])
        #expect(failed.hasPrefix("0 deliveries listed"))
        let (_, one) = try run(["dispatch", "status", "--db", dir.storePath, "--case-id", DispatchWorld.caseID(1)])
        #expect(one.hasPrefix(DispatchWorld.caseID(1)) && one.contains("1 delivery listed"))
    }
}

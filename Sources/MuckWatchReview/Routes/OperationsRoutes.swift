import Hummingbird
import MuckWatchStore

/// What a load balancer and a Prometheus server ask (issue #20): `/readyz` (the store answers
/// and, where dispatch is configured, the worker runs) and `/metrics`. No session needed.
struct OperationsRoutes {
    let store: ReviewStore
    let configuration: ReviewConfiguration

    func add(to router: Router<ReviewContext>) {
        let readiness = configuration.readiness
        router.get("/readyz") { _, _ -> Response in
            var problems: [String] = []
            do {
                _ = try await store.with { s throws(StoreError) in try s.schemaVersion() }
            } catch {
                problems.append("store: \(error)")
            }
            if let p = readiness?() { problems.append(p) }
            let ready = problems.isEmpty
            return Renderer.response(ready ? "ready\n" : problems.joined(separator: "\n") + "\n",
                                     contentType: "text/plain; charset=utf-8", status: ready ? .ok : .serviceUnavailable)
        }
        if let metrics = configuration.metrics {
            router.get("/metrics") { _, _ -> Response in
                Renderer.response(metrics(), contentType: "text/plain; version=0.0.4; charset=utf-8")
            }
        }
    }
}

import Metrics
import Prometheus

/// The process's metrics backend (issue #20): swift-metrics into a Prometheus registry,
/// bootstrapped once by the command that serves `/metrics` (`serve`, `gateway`).
enum MetricsExport {
    /// Bootstraps the metrics system with a fresh registry and returns it. Call once per process.
    static func bootstrap() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }

    /// The registry in Prometheus text format (version 0.0.4).
    static func text(_ registry: PrometheusCollectorRegistry) -> String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}

import CoreMetrics
import Metrics

/// The worker's metrics (swift-metrics; `/metrics` exports them where a backend is bootstrapped,
/// `MetricsExport`). Names follow Prometheus conventions; docs/dispatch.md lists them.
struct DispatchMetrics: Sendable {
    let delivered = Counter(label: "muckwatch_dispatch_delivered_total")
    let retried = Counter(label: "muckwatch_dispatch_retries_total")
    let failed = Counter(label: "muckwatch_dispatch_failed_total")
    let autoDispatched = Counter(label: "muckwatch_auto_dispatched_total")
    /// Pending deliveries (due or waiting for their next try).
    let backlog = Gauge(label: "muckwatch_outbox_backlog")
    /// Deliveries that gave up after their retry window, in the store.
    let failedRows = Gauge(label: "muckwatch_outbox_failed")
    /// One try, request to answer.
    let attemptTime = Metrics.Timer(label: "muckwatch_dispatch_attempt_duration_seconds")
    /// Status change committed → the receiver's 2xx.
    let deliveryLatency = Metrics.Timer(label: "muckwatch_dispatch_delivery_latency_seconds")
    let up = Gauge(label: "muckwatch_dispatch_worker_up")
}

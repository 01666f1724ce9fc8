import NIOConcurrencyHelpers

/// Gateway totals: connections and what they carried.
public struct GatewayStats: Sendable, Equatable {
    public var connectionsOpen = 0
    public var connectionsTotal = 0
    /// Connections closed for silence longer than the idle timeout.
    public var closedIdle = 0
    /// Connections closed for an unterminated frame over the size bound.
    public var closedOverflow = 0
    /// Connections closed after a refused registration.
    public var closedRefused = 0
    /// Times a connection stopped being read because its analysis shard was full.
    public var readPauses = 0
    public var counts = SessionCounts()

    public init() {}
}

/// The totals behind a lock; each event loop adds its connections' counts once per loop
/// iteration (`LoopBatch`), connection events (open, close) as they happen.
final class GatewayStatsBox: Sendable {
    private let box = NIOLockedValueBox(GatewayStats())
    func update(_ body: (inout GatewayStats) -> Void) { box.withLockedValue(body) }
    var snapshot: GatewayStats { box.withLockedValue { $0 } }
}

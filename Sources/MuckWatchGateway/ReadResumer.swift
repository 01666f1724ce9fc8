import NIOCore

/// How a shard that has worked its queue down tells a paused connection to read again:
/// the connection's handler, reached on its own event loop.
final class ReadResumer: Sendable {
    private let eventLoop: any EventLoop
    private let handler: NIOLoopBound<TerminalHandler>

    init(handler: TerminalHandler, eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
        self.handler = NIOLoopBound(handler, eventLoop: eventLoop)
    }

    /// Safe from any thread; idempotent.
    func resume() {
        eventLoop.execute { self.handler.value.resumeReading() }
    }
}

import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
public import MuckWatchCore
public import MuckWatchLive

/// Fans alerts out to every open `GET /alerts` stream as Server-Sent Events:
///
///     id: 17
///     event: case
///     data: {"case_id":"C-20261120-…","vehicle_id":"渝F50056",…}
///
/// A subscriber only sees alerts published after it connected (no replay: the store
/// holds every case). Writes go straight to each channel, so an alert leaves as soon as
/// the analysis found it. A subscriber that stops reading is disconnected once its
/// unsent events pass the channel's high water mark (`GatewayServer` sets 8 MB), so a
/// stuck client costs the gateway bounded memory; it reconnects and finds the cases it
/// missed in the store.
public final class AlertHub: Sendable {
    private struct State {
        var subscribers: [ObjectIdentifier: any Channel] = [:]
        var sequence = 0
        var dropped = 0
    }
    private let state = NIOLockedValueBox(State())
    let clock: LocalClock
    private let observer: (@Sendable (LiveAlert) -> Void)?

    /// - Parameter observer: also told of every alert (logging).
    public init(clock: LocalClock, observer: (@Sendable (LiveAlert) -> Void)? = nil) {
        self.clock = clock
        self.observer = observer
    }

    /// Alerts published so far.
    public var published: Int { state.withLockedValue { $0.sequence } }

    public var subscriberCount: Int { state.withLockedValue { $0.subscribers.count } }

    /// Subscribers disconnected because they fell too far behind.
    public var droppedSubscribers: Int { state.withLockedValue { $0.dropped } }

    func subscribe(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        state.withLockedValue { $0.subscribers[id] = channel }
        channel.closeFuture.whenComplete { [weak self] _ in
            _ = self?.state.withLockedValue { $0.subscribers.removeValue(forKey: id) }
        }
    }

    /// Sends `alerts` in their order: one write per stream for all of them (each alert
    /// still its own event with its own id).
    func publish(_ alerts: [LiveAlert]) {
        guard !alerts.isEmpty else { return }
        if let observer { alerts.forEach(observer) }
        let (first, channels) = state.withLockedValue { s -> (Int, [any Channel]) in
            defer { s.sequence += alerts.count }
            return (s.sequence + 1, Array(s.subscribers.values))
        }
        guard !channels.isEmpty else { return }
        var text = ""
        for (k, a) in alerts.enumerated() {
            text += "id: \(first + k)\nevent: case\ndata: \(a.json(clock: clock))\n\n"
        }
        send(ByteBuffer(string: text), to: channels)
    }

    /// Returns once every stream's event loop has run the writes handed to it so far (and
    /// so updated its writability): a barrier for tests, which must not sleep and hope.
    func settle() throws {
        let channels = state.withLockedValue { Array($0.subscribers.values) }
        for c in channels { try c.eventLoop.submit {}.wait() }
    }

    /// An SSE comment to every stream: proxies keep an idle stream open, and a client
    /// gone without closing is found (the write fails and the channel closes).
    func keepAlive() {
        let channels = state.withLockedValue { Array($0.subscribers.values) }
        send(ByteBuffer(string: ": keep-alive\n\n"), to: channels)
    }

    private func send(_ bytes: ByteBuffer, to channels: [any Channel]) {
        for c in channels {
            guard c.isWritable else {
                // Unsent bytes past the high water mark: the client has stopped reading.
                // Unsubscribed at once (the close completes later), so counted once.
                state.withLockedValue { s in
                    if s.subscribers.removeValue(forKey: ObjectIdentifier(c)) != nil { s.dropped += 1 }
                }
                c.close(promise: nil)
                continue
            }
            c.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(bytes)), promise: nil)
        }
    }
}

/// `GET /alerts` → `200 text/event-stream`, then the hub's events; anything else → 404.
final class AlertStreamHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let hub: AlertHub
    private let endpoints: [GatewayEndpoint]
    private var head: HTTPRequestHead?
    private var streaming = false

    init(hub: AlertHub, endpoints: [GatewayEndpoint] = []) {
        self.hub = hub
        self.endpoints = endpoints
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h): head = h
        case .body: break
        case .end:
            guard let h = head, !streaming else { return }
            head = nil
            let path = h.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? h.uri
            if h.method == .GET && path == "/alerts" {
                streaming = true
                // Subscribed before the head is written: a client that has read the head is
                // sure to get every alert published after it (an alert published from another
                // thread meanwhile is written by this loop after the head).
                hub.subscribe(context.channel)
                var headers = HTTPHeaders()
                headers.add(name: "Content-Type", value: "text/event-stream; charset=utf-8")
                headers.add(name: "Cache-Control", value: "no-cache")
                headers.add(name: "Connection", value: "keep-alive")
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: h.version, status: .ok, headers: headers))),
                              promise: nil)
                context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: ": muckwatch alerts\n\n")))),
                                      promise: nil)
            } else if h.method == .GET, let endpoint = endpoints.first(where: { $0.path == path }) {
                endpoint.answer(on: context.channel, version: h.version)
            } else {
                let body = "not found: the alert stream is GET /alerts\n"
                var headers = HTTPHeaders()
                headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
                headers.add(name: "Content-Length", value: String(body.utf8.count))
                headers.add(name: "Connection", value: "close")
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: h.version, status: .notFound,
                                                                     headers: headers))), promise: nil)
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil)
                let channel = context.channel
                context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
            }
        }
    }
}

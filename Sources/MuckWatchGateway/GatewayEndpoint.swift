import Dispatch
public import NIOCore
import NIOHTTP1

/// A GET path served on the gateway's alert listener beside `/alerts` (`/metrics`,
/// `/healthz`, `/readyz`): the body is made off the event loop, since taking the gateway's
/// numbers waits for its queues, and the connection closed after the answer.
public struct GatewayEndpoint: Sendable {
    public var path: String
    public var contentType: String
    /// The answer: `ok` false is a 503 (not ready), and the text.
    public var respond: @Sendable () -> (ok: Bool, body: String)

    public init(path: String, contentType: String = "text/plain; charset=utf-8",
                respond: @escaping @Sendable () -> (ok: Bool, body: String)) {
        self.path = path
        self.contentType = contentType
        self.respond = respond
    }

    func answer(on channel: any Channel, version: HTTPVersion) {
        let respond = respond, contentType = contentType
        DispatchQueue.global().async {
            let (ok, body) = respond()
            channel.eventLoop.execute {
                var headers = HTTPHeaders()
                headers.add(name: "Content-Type", value: contentType)
                headers.add(name: "Content-Length", value: String(body.utf8.count))
                headers.add(name: "Connection", value: "close")
                channel.write(HTTPServerResponsePart.head(HTTPResponseHead(
                    version: version, status: ok ? .ok : .serviceUnavailable, headers: headers)), promise: nil)
                channel.write(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(string: body))), promise: nil)
                channel.writeAndFlush(HTTPServerResponsePart.end(nil)).whenComplete { _ in channel.close(promise: nil) }
            }
        }
    }
}

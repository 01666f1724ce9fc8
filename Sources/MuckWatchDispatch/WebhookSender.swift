import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// One POST of a delivery to its department's webhook.
struct WebhookSender: Sendable {
    /// What one try came to.
    struct Result: Sendable {
        var httpStatus: Int?
        /// `nil` when the receiver answered 2xx.
        var error: String?
        var durationMs: Int
    }

    let client: HTTPClient

    /// Answers above this many bytes are cut off: a receiver's reply is read only to free the connection.
    static let maxAnswerBytes = 64 * 1024

    func send(body: String, to hook: Webhook, idempotencyKey: String, timeoutMs: Int64) async -> Result {
        let start = ContinuousClock.now
        func elapsed() -> Int {
            let d = ContinuousClock.now - start
            return Int(d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000)
        }
        var request = HTTPClientRequest(url: hook.url)
        request.method = .POST
        let bytes = Array(body.utf8)
        request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        request.headers.add(name: "User-Agent", value: "MuckWatch-Dispatch/1")
        request.headers.add(name: "Idempotency-Key", value: idempotencyKey)
        request.headers.add(name: WebhookSignature.header, value: WebhookSignature.value(body: bytes, secret: hook.secret))
        request.body = .bytes(ByteBuffer(bytes: bytes))
        do {
            let response = try await client.execute(request, timeout: .milliseconds(timeoutMs))
            let answer = try await response.body.collect(upTo: Self.maxAnswerBytes)
            let status = Int(response.status.code)
            if (200..<300).contains(status) { return Result(httpStatus: status, error: nil, durationMs: elapsed()) }
            let text = String(buffer: answer).prefix(200).trimmingCharacters(in: .whitespacesAndNewlines)
            return Result(httpStatus: status, error: "HTTP \(status)" + (text.isEmpty ? "" : ": \(text)"),
                          durationMs: elapsed())
        } catch let e as HTTPClientError where e == .deadlineExceeded || e == .readTimeout || e == .connectTimeout {
            return Result(httpStatus: nil, error: "no answer within \(timeoutMs) ms (\(e))", durationMs: elapsed())
        } catch {
            return Result(httpStatus: nil, error: "\(error)", durationMs: elapsed())
        }
    }
}

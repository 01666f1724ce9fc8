import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Ctrl-C and SIGTERM as one wait (the gateway's stop), in place before the gateway listens,
/// so a stop sent once it has logged "listening" is never lost.
///
/// Why no `SIG_IGN` on Linux: libdispatch there registers a signal source after `resume()`,
/// asynchronously, by installing its own handler, and a signal ignored in the meantime was
/// discarded — a gateway sent SIGTERM right after it started listening never stopped
/// (`gatewayLogsJSONLines` hung on it, 2026-12-05). Here the signals keep their default
/// action (the process ends, as it would a moment earlier while the gateway starts) until
/// both sources are registered, and are caught after. Darwin's kqueue sources rank below
/// the default action, so there the signals are ignored first (swift-service-lifecycle's
/// `UnixSignalsSequence` makes the same split).
final class StopSignals {
    private let stop = DispatchSemaphore(value: 0)
    private var sources: [any DispatchSourceSignal] = []

    init(_ signals: [Int32] = [SIGINT, SIGTERM]) {
        let registered = DispatchSemaphore(value: 0)
        for sig in signals {
            #if canImport(Darwin)
            signal(sig, SIG_IGN)
            #endif
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [stop] in stop.signal() }
            source.setRegistrationHandler { registered.signal() }
            source.resume()
            sources.append(source)
        }
        for _ in signals { registered.wait() }
    }

    /// Blocks until one of the signals has arrived.
    func wait() { stop.wait() }
}

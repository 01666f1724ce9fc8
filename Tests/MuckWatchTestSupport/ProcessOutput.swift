import Dispatch
public import Foundation
import MuckWatchCore

/// A child process's output, read to its end on a thread of its own, for tests that wait
/// until the process says something ("listening").
///
/// Why not `FileHandle.readabilityHandler`: it watches the pipe with a libdispatch source,
/// and a pipe closed while that source is still registered crashes libdispatch's event loop
/// (`_dispatch_event_loop_drain`, swift-corelibs-foundation#3276). The test process crashed
/// so twice on 2026-12-04, with gateways killed and started again many times. A blocking
/// read on a plain thread involves no dispatch source at all.
public final class ProcessOutput: Sendable {
    private let text = Locked("")
    private let state = Locked((said: false, ended: false))
    private let changed = DispatchSemaphore(value: 0)

    /// Starts reading `pipe` (the child's end given to `Process` before `run`) until its end.
    public init(_ pipe: Pipe, waitingFor banner: String) {
        let handle = pipe.fileHandleForReading
        let text = text, state = state, changed = changed
        let reader = Thread {
            while true {
                let data = handle.availableData
                let ended = data.isEmpty
                let said = text.withLock { t -> Bool in
                    t += String(decoding: data, as: UTF8.self)
                    return t.contains(banner)
                }
                let wake = state.withLock { s -> Bool in
                    let before = s
                    s = (s.said || said, ended)
                    return s != before
                }
                if wake { changed.signal() }
                if ended { return }
            }
        }
        reader.name = "test process output"
        reader.start()
    }

    /// Everything read so far.
    public var all: String { text.withLock { $0 } }

    /// Waits until the banner was read (`true`), or the output ended or `seconds` passed
    /// without it (`false`).
    public func waitForBanner(seconds: Double) -> Bool {
        let deadline = DispatchTime.now() + seconds
        while true {
            let s = state.withLock { $0 }
            if s.said { return true }
            if s.ended { return false }
            if changed.wait(timeout: deadline) == .timedOut { return state.withLock { $0.said } }
        }
    }
}

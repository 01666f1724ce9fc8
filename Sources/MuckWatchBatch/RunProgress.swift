public import Foundation
#if canImport(Glibc)
import Glibc
#endif
import MuckWatchCore

/// Where a long run is, for whoever watches it. On a terminal each running stage is one
/// line redrawn in place with its percent, rate and time left, and a finished stage stays
/// as a line of its own; in a log (CI, cron, systemd: stderr not a terminal) each stage is
/// one plain line when it ends, with its duration and amounts, and nothing is redrawn.
///
/// Stages may run side by side (the store and the output files are written together) and
/// report from several threads: the state sits behind one lock, taken per report, and the
/// terminal is redrawn at most ten times a second.
public final class RunProgress: Sendable {
    public enum Style: Sendable {
        /// Redrawn in place (`\r`, erase line).
        case terminal
        /// One line per finished stage.
        case log
        case silent
    }

    /// What a stage counts, for its rate.
    public enum Unit: String, Sendable {
        case bytes, fixes, vehicles, records, files
    }

    struct Stage: Sendable {
        var name: String
        var unit: Unit
        var total: Int
        var done = 0
        var started: Date
    }

    private struct State: Sendable {
        var running: [Stage] = []
        var drawn = Date.distantPast
        /// Something is on the terminal's last line (a redraw must erase it first).
        var lineShown = false
    }

    private let style: Style
    private let write: @Sendable (String) -> Void
    private let clock: @Sendable () -> Date
    private let state = Locked(State())

    /// - Parameters:
    ///   - write: where the text goes (stderr unless a test catches it).
    ///   - clock: "now" (tests pin it to check rates and estimates).
    public init(style: Style, write: @escaping @Sendable (String) -> Void = RunProgress.writeToStandardError,
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.style = style
        self.write = write
        self.clock = clock
    }

    /// Terminal lines when stderr is a terminal, log lines otherwise; nothing with `quiet`.
    public static func standardError(quiet: Bool) -> RunProgress {
        RunProgress(style: quiet ? .silent : isatty(2) == 1 ? .terminal : .log)
    }

    /// Written at once, unbuffered: a progress line must not wait for a buffer to fill.
    public static let writeToStandardError: @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }

    public func start(_ name: String, total: Int, unit: Unit) {
        guard style != .silent else { return }
        let now = clock()
        report { s in
            s.running.append(Stage(name: name, unit: unit, total: max(0, total), started: now))
            return nil
        }
    }

    /// `done` of the stage's total so far (absolute, so reports may arrive out of order).
    public func update(_ name: String, done: Int) {
        guard style != .silent else { return }
        report { s in
            guard let k = s.running.firstIndex(where: { $0.name == name }) else { return nil }
            s.running[k].done = max(s.running[k].done, done)
            return nil
        }
    }

    /// One more of the stage's units done (from whichever thread did it).
    public func advance(_ name: String, by n: Int = 1) {
        guard style != .silent else { return }
        report { s in
            guard let k = s.running.firstIndex(where: { $0.name == name }) else { return nil }
            s.running[k].done += n
            return nil
        }
    }

    /// Ends the stage: its line stays, with `note` (further amounts) after its own.
    public func finish(_ name: String, note: String = "") {
        guard style != .silent else { return }
        let now = clock()
        report { s in
            guard let k = s.running.firstIndex(where: { $0.name == name }) else { return nil }
            var stage = s.running.remove(at: k)
            stage.done = max(stage.done, stage.total)
            return Self.summary(stage, now: now) + (note.isEmpty ? "" : ", " + note)
        }
    }

    /// The run stopped (an error): the stages still running stay as they were last drawn,
    /// and the terminal's line is ended so the error that follows starts on a line of its own.
    public func stop() {
        guard style == .terminal else { return }
        let text: String? = state.withLock { s in
            s.running = []
            defer { s.lineShown = false }
            return s.lineShown ? "\n" : nil
        }
        if let text { write(text) }
    }

    /// Applies `change` under the lock and writes what it asks for: a finished stage's line,
    /// and on a terminal the running stages redrawn (throttled unless a stage finished).
    private func report(_ change: (inout State) -> String?) {
        let now = clock()
        let text: String? = state.withLock { s in
            let finished = change(&s)
            switch style {
            case .silent: return nil
            case .log: return finished.map { $0 + "\n" }
            case .terminal:
                guard finished != nil || now.timeIntervalSince(s.drawn) >= 0.1 else { return nil }
                s.drawn = now
                var out = s.lineShown ? "\r\u{1B}[2K" : ""
                if let finished { out += finished + "\n" }
                let line = s.running.map { Self.line($0, now: now) }.joined(separator: "  |  ")
                out += line
                s.lineShown = !line.isEmpty
                return out
            }
        }
        if let text, !text.isEmpty { write(text) }
    }

    /// A running stage: `read traces.csv  42 %  12.3 MB/s  0:07 left`.
    static func line(_ s: Stage, now: Date) -> String {
        let elapsed = now.timeIntervalSince(s.started)
        var parts = [s.name]
        if s.total > 0 { parts.append("\(min(100, s.done * 100 / s.total)) %") }
        if elapsed > 0 && s.done > 0 {
            parts.append(rate(Double(s.done) / elapsed, s.unit))
            if s.total > s.done {
                parts.append(duration(elapsed * Double(s.total - s.done) / Double(s.done)) + " left")
            }
        }
        return parts.joined(separator: "  ")
    }

    /// A finished stage: `read traces.csv: 0.71 s, 1.6 MB (2.3 MB/s)`.
    static func summary(_ s: Stage, now: Date) -> String {
        let elapsed = now.timeIntervalSince(s.started)
        var line = "\(s.name): \(String(format: "%.2f", elapsed)) s, \(amount(s.done, s.unit))"
        if elapsed > 0 && s.done > 0 { line += " (\(rate(Double(s.done) / elapsed, s.unit)))" }
        return line
    }

    static func amount(_ n: Int, _ unit: Unit) -> String {
        unit == .bytes ? String(format: "%.1f MB", Double(n) / 1e6) : "\(n) \(unit.rawValue)"
    }

    static func rate(_ perSecond: Double, _ unit: Unit) -> String {
        if unit == .bytes { return String(format: "%.1f MB/s", perSecond / 1e6) }
        // A few files a second still shows as a rate, not as 0.
        return (perSecond < 10 ? String(format: "%.1f", perSecond) : "\(Int(perSecond.rounded()))") + " \(unit.rawValue)/s"
    }

    /// `m:ss`, or `h:mm:ss` from an hour.
    static func duration(_ seconds: Double) -> String {
        let t = Int(seconds.rounded(.up))
        let (h, m, s) = (t / 3600, t / 60 % 60, t % 60)
        return h > 0 ? String(format: "%d:%02d:%02d", h, m, s) : String(format: "%d:%02d", m, s)
    }
}

import ArgumentParser
import Foundation
import MuckWatchCore
import MuckWatchIngest

/// `muckwatch jt808`: tools for raw JT/T 808 terminal captures.
struct JT808Command: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jt808",
        abstract: "Work with raw JT/T 808-2013/2019 terminal captures.",
        discussion: """
            A capture is the bytes terminals sent (0x7e-delimited frames). Location reports \
            (0x0200) and batch uploads (0x0704) become fixes; the terminal phone number maps \
            to a plate through the vehicle registry (phones compared without leading zeros). \
            See docs/jt808.md.
            """,
        subcommands: [JT808DecodeCommand.self])
}

/// `muckwatch jt808 decode`: a capture as trace CSV, to inspect it or feed `analyze`.
struct JT808DecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode a capture's fixes to CSV on stdout; bad frames and unknown terminals on stderr.",
        discussion: """
            stdout: vehicle_id,time,lon,lat,speed_kmh,heading,lift,lid,load_t in capture order \
            (time ISO 8601 +08:00; empty sensor cells when a terminal sent no such item). \
            stderr: fixes decoded, bad frames by kind with their byte offsets, unknown terminals. \
            Damaged frames never stop decoding: the exit status is 0 whenever the capture could \
            be read, non-zero (with a one-line reason) when a file is missing or unreadable.
            """)

    @Argument(help: ArgumentHelp("Raw JT/T 808 capture (binary).", valueName: "capture"))
    var capture: String

    @Option(help: ArgumentHelp("Vehicle registry CSV: vehicle_id,company,rated_load_t,terminal_id.", valueName: "file"))
    var vehicles: String

    func run() throws {
        var registryRejects: [Reject] = []
        var fixes: [Fix] = []
        var rejects: [Reject] = []
        var plates = PlateTable()
        let summary: JT808ReadSummary
        let t0 = Date()
        do {
            let registry = try VehicleReader.read(path: vehicles, rejects: &registryRejects)
            summary = try JT808CaptureReader.read(
                path: capture, fileIndex: 0, terminals: JT808CaptureReader.terminalDirectory(registry),
                plates: &plates, fixes: &fixes, rejects: &rejects)
        } catch {
            FileHandle.standardError.write(Data("muckwatch jt808 decode: \(error.description)\n".utf8))
            throw ExitCode(2)
        }
        let seconds = Date().timeIntervalSince(t0)

        var out = "vehicle_id,time,lon,lat,speed_kmh,heading,lift,lid,load_t\n"
        out.reserveCapacity(64 * (fixes.count + 1))
        let clock = LocalClock.shanghai
        for f in fixes {
            out += plates[f.vehicle]
            out += ","
            out += clock.format(f.time)
            out += ","
            out += FixedDecimal.fixed(f.lon, 6)
            out += ","
            out += FixedDecimal.fixed(f.lat, 6)
            out += ","
            out += f.hasSpeed ? FixedDecimal.fixed(Double(f.speedKmh), 1) : ""
            out += ","
            out += f.heading.isNaN ? "" : String(Int(f.heading))
            out += ","
            out += f.hasLift ? String(f.lift) : ""
            out += ","
            out += f.hasLid ? String(f.lid) : ""
            out += ","
            out += f.hasLoad ? FixedDecimal.fixed(Double(f.loadT), 1) : ""
            out += "\n"
        }
        FileHandle.standardOutput.write(Data(out.utf8))

        var err = "muckwatch jt808 decode: \(summary.fixes) location reports in \(summary.frames) good frames, "
            + "\(fixes.count) fixes written"
        let rate = seconds > 0 ? Int(Double(summary.frames + summary.badFrames.count) / seconds) : 0
        err += " (\(String(format: "%.3f", seconds)) s, \(rate) frames/s)\n"
        let unpositioned = fixes.reduce(0) { $0 + ($1.unpositioned ? 1 : 0) }
        if unpositioned > 0 { err += "  \(unpositioned) fixes had the 'positioned' status bit clear (kept)\n" }
        err += "bad frames: \(summary.badFrames.count)\n"
        for (kind, n) in summary.badFramesByKind.sorted(by: { $0.key < $1.key }) {
            let offsets = summary.badFrames.filter { $0.kind == kind }.map { String($0.offset) }
            let shown = offsets.prefix(20).joined(separator: ", ") + (offsets.count > 20 ? ", ..." : "")
            err += "  \(kind.rawValue): \(n) at byte offsets \(shown)\n"
        }
        if summary.unknownTerminals.isEmpty {
            err += "unknown terminals: none\n"
        } else {
            err += "unknown terminals: \(summary.unknownTerminals.count)\n"
            for (phone, n) in summary.unknownTerminals.sorted(by: { $0.key < $1.key }) {
                err += "  \(phone): \(n) location report\(n == 1 ? "" : "s")\n"
            }
        }
        for r in registryRejects { err += "\(r.file):\(r.line): \(r.reason)\n" }
        FileHandle.standardError.write(Data(err.utf8))
    }
}

/// Fixed-point decimal text without Foundation's formatter (one call per cell).
enum FixedDecimal {
    static func fixed(_ v: Double, _ places: Int) -> String {
        var scale: Int64 = 1
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(v) * Double(scale)).rounded()
        let neg = v < 0 && scaled != 0
        let n = Int64(scaled)
        let whole = String(n / scale)
        guard places > 0 else { return (neg ? "-" : "") + whole }
        let frac = String(n % scale)
        return (neg ? "-" : "") + whole + "." + String(repeating: "0", count: places - frac.count) + frac
    }
}

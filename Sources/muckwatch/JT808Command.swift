import ArgumentParser
import Foundation
import MuckWatchCore
import MuckWatchIngest
import MuckWatchJT808

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
            summary = JT808CaptureReader.read(
                try FileBytes.read(capture), path: capture, fileIndex: 0,
                terminals: JT808CaptureReader.terminalDirectory(registry), plates: &plates, fixes: &fixes, rejects: &rejects)
        } catch {
            FileHandle.standardError.write(Data("muckwatch jt808 decode: \(error.description)\n".utf8))
            throw ExitCode(2)
        }
        let seconds = Date().timeIntervalSince(t0)

        var csv = FixCSVWriter(plates: plates)
        csv.out.reserveCapacity(72 * (fixes.count + 1))
        for f in fixes { csv.append(f) }
        FileHandle.standardOutput.write(Data(csv.out))

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

/// Trace CSV rows written straight into bytes: a capture holds millions of fixes, and
/// String interpolation per cell costs more than decoding the frames did.
struct FixCSVWriter {
    var out: [UInt8] = Array("vehicle_id,time,lon,lat,speed_kmh,heading,lift,lid,load_t\n".utf8)
    let plateBytes: [[UInt8]]
    var lastDay: Int64 = .min
    var dayText: [UInt8] = []

    init(plates: PlateTable) {
        plateBytes = plates.plates.map { Array($0.utf8) }
    }

    mutating func append(_ f: Fix) {
        out.append(contentsOf: plateBytes[Int(f.vehicle)])
        out.append(0x2C)
        time(f.time)
        out.append(0x2C)
        fixed(f.lon, 6)
        out.append(0x2C)
        fixed(f.lat, 6)
        out.append(0x2C)
        if f.hasSpeed { fixed(Double(f.speedKmh), 1) }
        out.append(0x2C)
        if !f.heading.isNaN { integer(Int64(f.heading)) }
        out.append(0x2C)
        if f.hasLift { integer(Int64(f.lift)) }
        out.append(0x2C)
        if f.hasLid { integer(Int64(f.lid)) }
        out.append(0x2C)
        if f.hasLoad { fixed(Double(f.loadT), 1) }
        out.append(0x0A)
    }

    /// ISO 8601 in +08:00, as `LocalClock.shanghai.format` writes it.
    mutating func time(_ t: Int64) {
        let local = t + 8 * 3600
        let day = TimeParser.floorDiv(local, 86_400)
        if day != lastDay {
            lastDay = day
            dayText = Array(LocalClock.shanghai.format(day * 86_400 - 8 * 3600).utf8.prefix(11))  // YYYY-MM-DDT
        }
        out.append(contentsOf: dayText)
        let sod = local - day * 86_400
        two(sod / 3600); out.append(0x3A); two(sod % 3600 / 60); out.append(0x3A); two(sod % 60)
        out.append(contentsOf: [0x2B, 0x30, 0x38, 0x3A, 0x30, 0x30])  // +08:00
    }

    mutating func two(_ v: Int64) {
        out.append(0x30 + UInt8(v / 10))
        out.append(0x30 + UInt8(v % 10))
    }

    mutating func integer(_ v: Int64) { out.appendDecimal(v) }

    /// Fixed-point decimal, rounded half away from zero.
    mutating func fixed(_ v: Double, _ places: Int) {
        var scale: Int64 = 1
        for _ in 0..<places { scale *= 10 }
        let n = Int64((abs(v) * Double(scale)).rounded())
        if v < 0 && n != 0 { out.append(0x2D) }
        integer(n / scale)
        out.append(0x2E)
        var frac = n % scale
        var div = scale / 10
        while div > 0 { out.append(0x30 + UInt8(frac / div)); frac %= div; div /= 10 }
    }
}

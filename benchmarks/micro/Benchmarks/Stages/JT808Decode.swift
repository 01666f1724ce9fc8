import Benchmark
import MuckWatchCore
import MuckWatchIngest
import MuckWatchJT808

/// `jt808.decode`: the sample's fixes encoded once (setup) as JT/T 808-2013 0x0200
/// location frames with `JT808Encoder`, each truck under its registry terminal's phone,
/// cut into captures of 1,000 frames in file order; each batch decodes one capture (in turn)
/// back to fixes with `JT808CaptureReader` (frame split, unescape, check code, header,
/// location body, terminal → plate).
func jt808Decode() {
    final class State {
        let captures: [[UInt8]]
        let terminals: [String: String]
        let plates: PlateTable
        var fixes: [Fix] = []
        var rejects: [Reject] = []
        init() {
            let sample = Sample.shared
            terminals = JT808CaptureReader.terminalDirectory(sample.references.vehicles)
            plates = sample.plates
            var phoneOf: [String: JT808Phone] = [:]
            for v in sample.references.vehicles {
                if let t = v.terminalID, let p = JT808Phone(digits: t), phoneOf[v.id] == nil { phoneOf[v.id] = p }
            }
            var serial: [JT808Phone: UInt16] = [:]
            var frames: [[UInt8]] = []
            for f in sample.fixes {
                guard let phone = phoneOf[sample.plates[f.vehicle]] else { continue }
                let s = serial[phone, default: 0]
                serial[phone] = s &+ 1
                let header = JT808Header(messageID: JT808MessageID.location, phone: phone, serial: s)
                frames.append(JT808Encoder.frame(header, body: JT808LocationReport(fix: f).encode()))
            }
            captures = stride(from: 0, through: frames.count - Sample.batch, by: Sample.batch).map {
                Array(frames[$0..<($0 + Sample.batch)].joined())
            }
            fixes.reserveCapacity(Sample.batch)
        }
    }
    Benchmark("jt808.decode", configuration: StageConfig.perFix) { benchmark, s in
        var reports = 0, decoded = 0
        for b in benchmark.batches {
            var plates = s.plates
            s.fixes.removeAll(keepingCapacity: true)
            s.rejects.removeAll(keepingCapacity: true)
            let summary = JT808CaptureReader.read(s.captures[b % s.captures.count], path: "sample.jt808", fileIndex: 0,
                                                  terminals: s.terminals, plates: &plates, fixes: &s.fixes,
                                                  rejects: &s.rejects)
            reports += summary.fixes
            decoded += s.fixes.count
        }
        benchmark.stopMeasurement()
        let n = benchmark.scaledIterations.count
        precondition(reports == n && decoded == n && s.rejects.isEmpty,
                     "jt808.decode: \(reports) reports, \(decoded) fixes, \(s.rejects.count) rejects")
    } setup: {
        State()
    }
}

public import MuckWatchCore

/// What one capture held besides its fixes.
public struct JT808ReadSummary: Sendable, Equatable {
    /// Location reports seen (0x0200 bodies and 0x0704 items), accepted or not.
    public var fixes: Int = 0
    /// Frames that passed length and check-code validation.
    public var frames: Int = 0
    /// Every damaged place, in capture order.
    public var badFrames: [BadFrame] = []
    /// Terminal phone (without leading zeros) → location reports from it that could not
    /// be given a plate because the registry has no such terminal.
    public var unknownTerminals: [String: Int] = [:]

    public init() {}

    /// Bad frames counted by kind.
    public var badFramesByKind: [BadFrameKind: Int] {
        var c: [BadFrameKind: Int] = [:]
        for f in badFrames { c[f.kind, default: 0] += 1 }
        return c
    }
}

/// Turns a raw JT/T 808 capture (contract section 6) into fixes.
///
/// Every problem is counted, becomes a `BadFrame` and a `Reject` whose `line` is the
/// frame's byte offset, and decoding resumes at the next 0x7e: a capture is never
/// refused for its content. Reading the file is the caller's (`FileBytes.read` in Ingest).
public enum JT808CaptureReader {
    /// Registry terminal ids → plates, keyed by the phone without leading zeros (the
    /// form `JT808Phone.digits` gives). A terminal listed twice keeps its first plate.
    public static func terminalDirectory(_ vehicles: [Vehicle]) -> [String: String] {
        var d: [String: String] = [:]
        for v in vehicles {
            guard let t = v.terminalID else { continue }
            let key = JT808Phone(digits: t)?.digits ?? stripZeros(t)
            if !key.isEmpty, d[key] == nil { d[key] = v.id }
        }
        return d
    }

    static func stripZeros(_ s: String) -> String {
        let t = s.trimmingSpaces
        let z = t.drop { $0 == "0" }
        return z.isEmpty && !t.isEmpty ? "0" : String(z)
    }

    /// Appends the capture's fixes (in capture order, `Fix.line` = the frame's byte offset)
    /// and a reject for each bad frame and each fix from a terminal not in `terminals`.
    public static func read(_ bytes: [UInt8], path: String, fileIndex: Int32, terminals: [String: String],
                            plates: inout PlateTable, fixes: inout [Fix], rejects: inout [Reject]) -> JT808ReadSummary {
        var d = JT808CaptureDecoder(path: path, fileIndex: fileIndex, terminals: terminals)
        bytes.withByteSpan { d.run($0, plates: &plates, fixes: &fixes, rejects: &rejects) }
        return d.summary
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}

/// The per-capture state: directory, plate cache, scratch buffer, reassembler.
struct JT808CaptureDecoder {
    let path: String
    let fileIndex: Int32
    var directory: [JT808Phone: String] = [:]
    /// Phone → plate index, or -1 for a terminal the registry lacks (looked up once each).
    var vehicleOf: [JT808Phone: Int32] = [:]
    var lastPhone = JT808Phone(high: 0xFFFF, low: .max)
    var lastVehicle: Int32 = -1
    var unknown: [JT808Phone: Int] = [:]
    /// Plates terminals announced in 0x0100, quoted when such a terminal is unknown.
    var registeredPlates: [JT808Phone: String] = [:]
    var scratch: [UInt8] = []
    var reassembler = JT808Reassembler()
    var summary = JT808ReadSummary()

    init(path: String, fileIndex: Int32, terminals: [String: String]) {
        self.path = path
        self.fileIndex = fileIndex
        for (k, plate) in terminals {
            if let p = JT808Phone(digits: k) { directory[p] = plate }
        }
        scratch = [UInt8](repeating: 0, count: 2048)
    }

    mutating func run(_ b: ByteSpan, plates: inout PlateTable, fixes: inout [Fix], rejects: inout [Reject]) {
        JT808FrameSplitter.split(b) { piece in
            let raw = piece.bytes
            guard piece.kind == .frame else {
                bad(BadFrame(offset: piece.offset, kind: .garbage, detail: "\(raw.count) garbage byte\(raw.count == 1 ? "" : "s")"),
                    &rejects)
                return
            }
            // Most frames hold no escape: decoded in place, straight from the capture.
            if raw.firstIndex(of: JT808Escaping.escape, from: 0, to: raw.count) == nil {
                frame(raw, problem: nil, closed: piece.closed, offset: piece.offset, plates: &plates, fixes: &fixes,
                      rejects: &rejects)
                return
            }
            if scratch.count < raw.count { scratch = [UInt8](repeating: 0, count: max(raw.count, 2 * scratch.count)) }
            var s = scratch
            scratch = []  // hand the storage over for the call (unique: no copy)
            let (n, problem) = JT808Escaping.unescape(raw, into: &s, at: 0)
            s.withByteSpan { d in
                frame(d.extracting(0..<n), problem: problem, closed: piece.closed, offset: piece.offset,
                      plates: &plates, fixes: &fixes, rejects: &rejects)
            }
            scratch = s
        }
        for left in reassembler.drain() {
            let id = left.header.messageID
            bad(BadFrame(offset: left.offset, kind: .incompleteSubpackage, messageID: id,
                         detail: "\(left.received) of \(left.total) packages arrived from terminal \(left.header.phone.digits)"),
                &rejects)
            if id == JT808MessageID.batchLocation {
                left.prefixBody.withByteSpan { u in
                    batch(u, header: left.header, offset: left.offset, salvage: true, plates: &plates, fixes: &fixes,
                          rejects: &rejects)
                }
            }
        }
        for (p, n) in unknown { summary.unknownTerminals[p.digits] = n }
        summary.badFrames = summary.badFrames.enumerated().sorted {
            ($0.element.offset, $0.offset) < ($1.element.offset, $1.offset)
        }.map(\.element)
    }

    mutating func bad(_ f: BadFrame, _ rejects: inout [Reject]) {
        summary.badFrames.append(f)
        rejects.append(Reject(file: path, line: f.offset, reason: f.reason))
    }

    mutating func frame(_ u: ByteSpan, problem: JT808Escaping.Problem?, closed: Bool, offset: Int,
                        plates: inout PlateTable, fixes: inout [Fix], rejects: inout [Reject]) {
        let header: JT808Header, range: Range<Int>
        do throws(JT808FrameError) {
            (header, range) = try JT808Frame.validate(u, escapeProblem: problem, closed: closed)
        } catch {
            bad(BadFrame(offset: offset, kind: error.kind, messageID: error.messageID, detail: error.detail), &rejects)
            return
        }
        summary.frames += 1
        let id = header.messageID
        let body = u.extracting(range)
        let carriesFixes = id == JT808MessageID.location || id == JT808MessageID.batchLocation
        if carriesFixes, header.encryption != 0 {
            bad(BadFrame(offset: offset, kind: .encrypted, messageID: id,
                         detail: "body encrypted (attributes bits 10-12 = \(header.encryption)); fixes cannot be read"), &rejects)
            return
        }
        if let sub = header.subpackage {
            guard sub.index >= 1, sub.index <= sub.total else {
                bad(BadFrame(offset: offset, kind: .malformed, messageID: id,
                             detail: "package index \(sub.index) of \(sub.total)"), &rejects)
                return
            }
            guard carriesFixes || id == JT808MessageID.registration else { return }
            guard let whole = reassembler.add(header: header, offset: offset, body: body) else { return }
            whole.body.withByteSpan { w in
                message(w, header: whole.header, offset: whole.offset, plates: &plates, fixes: &fixes, rejects: &rejects)
            }
            return
        }
        message(body, header: header, offset: offset, plates: &plates, fixes: &fixes, rejects: &rejects)
    }

    mutating func message(_ body: ByteSpan, header: JT808Header, offset: Int,
                          plates: inout PlateTable, fixes: inout [Fix], rejects: inout [Reject]) {
        switch header.messageID {
        case JT808MessageID.location:
            report(body, phone: header.phone, messageID: header.messageID, offset: offset, item: nil,
                   plates: &plates, fixes: &fixes, rejects: &rejects)
        case JT808MessageID.batchLocation:
            batch(body, header: header, offset: offset, salvage: false, plates: &plates, fixes: &fixes, rejects: &rejects)
        case JT808MessageID.registration:
            if let r = try? JT808Registration.decode(body, is2019: header.is2019), !r.plate.isEmpty {
                registeredPlates[header.phone] = r.plate
            }
        default:
            break  // heartbeats, authentication, acks: no fixes
        }
    }

    mutating func batch(_ body: ByteSpan, header: JT808Header, offset: Int, salvage: Bool,
                        plates: inout PlateTable, fixes: inout [Fix], rejects: inout [Reject]) {
        let problem: JT808DecodeError?
        var seen = 0
        do throws(JT808DecodeError) {
            problem = try JT808BatchLocation.forEachItem(body) { item, k, count in
                seen = k + 1
                report(item, phone: header.phone, messageID: header.messageID, offset: offset, item: (k + 1, count),
                       plates: &plates, fixes: &fixes, rejects: &rejects)
            }.problem
        } catch {
            if !salvage {
                bad(BadFrame(offset: offset, kind: .malformed, messageID: header.messageID, detail: error.description), &rejects)
            }
            return
        }
        if let p = problem, !salvage {
            bad(BadFrame(offset: offset, kind: .malformed, messageID: header.messageID,
                         detail: "batch damaged after \(seen) items: \(p.description)"), &rejects)
        }
    }

    mutating func report(_ b: ByteSpan, phone: JT808Phone, messageID: UInt16, offset: Int,
                         item: (Int, Int)?, plates: inout PlateTable, fixes: inout [Fix], rejects: inout [Reject]) {
        summary.fixes += 1
        let r: JT808LocationReport
        do throws(JT808DecodeError) {
            r = try JT808LocationReport.decode(b, keepingOtherItems: false)
        } catch {
            bad(BadFrame(offset: offset, kind: .malformed, messageID: messageID, detail: Self.label(item) + error.description),
                &rejects)
            return
        }
        if let p = r.rangeProblem {
            bad(BadFrame(offset: offset, kind: .outOfRange, messageID: messageID,
                         detail: Self.label(item) + "position out of range: " + p), &rejects)
            return
        }
        let vehicle = vehicle(of: phone, &plates)
        guard vehicle >= 0 else {
            unknown[phone, default: 0] += 1
            let announced = registeredPlates[phone].map { " (it registered as \($0))" } ?? ""
            rejects.append(Reject(file: path, line: offset, reason: "JT/T 808 location at byte offset \(offset)"
                + "\(item.map { ", item \($0.0) of \($0.1)" } ?? ""): terminal \(phone.digits)\(announced) is not in the vehicle registry"))
            return
        }
        fixes.append(r.fix(vehicle: vehicle, file: fileIndex, line: Int32(clamping: offset)))
    }

    static func label(_ item: (Int, Int)?) -> String {
        item.map { "item \($0.0) of \($0.1): " } ?? ""
    }

    /// Plate index for a terminal, -1 when the registry lacks it. Consecutive frames
    /// usually come from one terminal, so the last answer is kept at hand.
    @inline(__always)
    mutating func vehicle(of phone: JT808Phone, _ plates: inout PlateTable) -> Int32 {
        if phone == lastPhone { return lastVehicle }
        let v: Int32
        if let known = vehicleOf[phone] {
            v = known
        } else {
            v = directory[phone].map { plates.intern($0) } ?? -1
            vehicleOf[phone] = v
        }
        lastPhone = phone
        lastVehicle = v
        return v
    }
}

/// A night's checkpoint camera reads, compact and grouped by plate: how batch runs, the
/// live analysis and the case store look them up.
///
/// A city night has hundreds of thousands of reads (515k at 10M fixes). As `CameraEvent`
/// values (four `String`s each, the image path on the heap) grouped in a
/// `[String: [CameraEvent]]`, they held ~145 MB at the run's peak, while the traces are
/// read. Here each read is one 40-byte `Record` in one contiguous array, its id and image
/// bytes in one shared byte arena (an image named after its read's id, as
/// "snapshots/E-000001.jpg", is kept as the id between an interned prefix and suffix),
/// its checkpoint an index into the distinct checkpoint ids: ~50 bytes a read. `events(plate:)` gives one plate's reads back as `CameraEvent`
/// values, per vehicle, when a vehicle is judged.
///
/// Each plate's reads are in time order, then id (`String` order), then file order: the
/// order `[CameraEvent]` sorted by `(time, id)` with the standard library's stable sort
/// has, so rules and stores see exactly what they saw before.
public struct CameraReads: Sendable {
    /// One read, fixed size. Its plate is the group its index falls in (`range(plate:)`).
    public struct Record: Sendable {
        public var time: Int64
        public var confidence: Double
        /// Where the read's id starts in the arena; its image (`ImageForm.bytes`) follows it.
        var textStart: Int
        var idLength: UInt32
        /// The image's length (`.bytes`), or its index in `imageTemplates` (`.aroundID`).
        var image: UInt32
        /// Index into `checkpointIDs`.
        public var checkpoint: Int32
        public var type: CameraEventType
        var imageForm: ImageForm
        /// The plate's spelling: 0 the group's (`plates`), k > 0 its k-th other spelling.
        /// Plates are grouped as `String`s compare (canonical equivalence), but every read
        /// keeps the bytes it was read with, as a `CameraEvent` did.
        var plateSpelling: UInt16

        public var hasImage: Bool { imageForm != .none }
    }

    /// How a record holds its image path.
    enum ImageForm: UInt8 {
        case none
        /// Its bytes follow the id in the arena.
        case bytes
        /// An image template's prefix, the read's id, the template's suffix.
        case aroundID
    }

    /// An image path around a read's id: "snapshots/" + id + ".jpg".
    struct ImageTemplate: Hashable {
        var prefix: [UInt8]
        var suffix: [UInt8]
    }

    /// Every read, grouped by plate (plates in `plates` order), each plate's sorted.
    public private(set) var records: [Record] = []
    /// The ids and images of every read, back to back.
    private var text: [UInt8] = []
    /// The image paths named after their read's id, few per night (at most `maxTemplates`).
    private var imageTemplates: [ImageTemplate] = []
    /// Distinct checkpoint ids (byte for byte), in the order the file first names them.
    public private(set) var checkpointIDs: [String] = []
    /// Distinct plates in the order the file first names them; plate `p`'s reads are
    /// `records[plateStarts[p]..<plateStarts[p + 1]]`.
    private var plateTable = PlateTable()
    private var plateStarts: [Int] = [0]
    /// Spellings of a plate other than its first (canonically equal, other bytes), rare.
    private var otherSpellings: [Int32: [String]] = [:]

    /// No reads.
    public init() {}

    /// The reads of `events`, grouped and ordered as a file with them in this order gives
    /// (tests and small callers).
    public init(_ events: [CameraEvent]) {
        var b = Builder()
        for e in events { b.append(e) }
        self = b.build()
    }

    /// These reads and `events` after them, grouped and ordered as one file with all of
    /// them in this order gives: reads that reach a running gateway through the store
    /// join the night's. Rebuilds the whole table (cost linear in every read), so it is
    /// meant for polls, not per read.
    public func adding(_ events: [CameraEvent]) -> CameraReads {
        guard !events.isEmpty else { return self }
        var b = Builder()
        for p in plates.indices { for i in range(plateAt: p) { b.append(event(at: i, plateAt: p)) } }
        for e in events { b.append(e) }
        return b.build()
    }

    public var count: Int { records.count }
    public var isEmpty: Bool { records.isEmpty }

    /// Distinct plates in the order the file first names them (the first spelling of each).
    public var plates: [String] { plateTable.plates }

    /// The indices in `records` of a plate's reads, `nil` when no read names it.
    public func range(plate: String) -> Range<Int>? {
        guard let p = plateTable.lookup(plate) else { return nil }
        return range(plateAt: Int(p))
    }

    /// The indices in `records` of the reads of `plates[p]`.
    public func range(plateAt p: Int) -> Range<Int> { plateStarts[p]..<plateStarts[p + 1] }

    /// A plate's reads as records (time, confidence, checkpoint, type), no strings made.
    public func records(plate: String) -> ArraySlice<Record> {
        guard let r = range(plate: plate) else { return records[0..<0] }
        return records[r]
    }

    /// A plate's reads as events, time-ordered (then id); empty when no read names it.
    public func events(plate: String) -> [CameraEvent] {
        guard let p = plateTable.lookup(plate) else { return [] }
        return events(plateAt: Int(p))
    }

    /// The reads of `plates[p]` as events.
    public func events(plateAt p: Int) -> [CameraEvent] {
        range(plateAt: p).map { event(at: $0, plateAt: p) }
    }

    /// `records[i]`, a read of `plates[p]`, as an event.
    public func event(at i: Int, plateAt p: Int) -> CameraEvent {
        let r = records[i]
        let plate = r.plateSpelling == 0 ? plates[p] : otherSpellings[Int32(p)]![Int(r.plateSpelling) - 1]
        return CameraEvent(id: id(r), checkpointID: checkpointIDs[Int(r.checkpoint)], time: r.time, plate: plate,
                           type: r.type, confidence: r.confidence, image: image(r))
    }

    /// The index in `plates` of a plate's group, `nil` when no read names it.
    public func plateIndex(_ plate: String) -> Int? { plateTable.lookup(plate).map(Int.init) }

    /// Every read as an event, plate by plate (tests).
    public var allEvents: [CameraEvent] { plates.indices.flatMap { events(plateAt: $0) } }

    /// A read's id.
    public func id(_ r: Record) -> String {
        String(decoding: text[r.textStart..<r.textStart + Int(r.idLength)], as: UTF8.self)
    }

    /// A read's image path, `nil` when the read has none.
    public func image(_ r: Record) -> String? {
        let s = r.textStart + Int(r.idLength)
        switch r.imageForm {
        case .none:
            return nil
        case .bytes:
            return String(decoding: text[s..<s + Int(r.image)], as: UTF8.self)
        case .aroundID:
            // Written straight into the string's storage (repaired like `String(decoding:)`).
            let template = imageTemplates[Int(r.image)]
            let (p, q) = (template.prefix.count, Int(r.idLength))
            let n = p + q + template.suffix.count
            return String(unsafeUninitializedCapacity: n) { out in
                _ = out.initialize(from: template.prefix)
                _ = out[p...].initialize(from: text[r.textStart..<s])
                _ = out[(p + q)...].initialize(from: template.suffix)
                return n
            }
        }
    }

    /// For each of `checkpointIDs`, a value from `lookup` (e.g. its fence index): computed
    /// once per run, then read per record through `Record.checkpoint`.
    public func perCheckpoint<T>(_ lookup: (String) -> T) -> [T] { checkpointIDs.map(lookup) }
}

extension CameraReads {
    /// Collects reads in file order (no `CameraEvent`s of the whole file), then groups
    /// them by plate with a counting pass and sorts each plate's reads in place.
    public struct Builder {
        private var records: [Record] = []
        /// Each record's plate group, in file order (dropped by `build`).
        private var plateOfRecord: [Int32] = []
        private var text: [UInt8] = []
        private var plates = PlateTable()
        private var otherSpellings: [Int32: [String]] = [:]
        private var checkpointIDs: [String] = []
        private var checkpointIndex: [ExactText: Int32] = [:]
        private var imageTemplates: [ImageTemplate] = []
        private var templateIndex: [ImageTemplate: Int32] = [:]
        /// The template the last image matched (most nights name every image one way).
        private var lastTemplate = -1

        /// Distinct image templates kept; images of other forms keep their bytes.
        static let maxTemplates = 64

        public init() {}

        public var count: Int { records.count }

        /// Adds one read; `id` and `image` are the bytes of a string value (no escapes),
        /// `image` `nil` when the read has none.
        public mutating func append(id: ByteSpan, checkpointID: String, time: Int64, plate: String,
                                    type: CameraEventType, confidence: Double, image: ByteSpan?) {
            let start = text.count
            text.append(contentsOf: id)
            var form = ImageForm.none
            var imageField: UInt32 = 0
            if let image {
                if let k = template(image, around: id) {
                    form = .aroundID
                    imageField = UInt32(k)
                } else {
                    text.append(contentsOf: image)
                    form = .bytes
                    imageField = UInt32(image.count)
                }
            }
            let p = plates.intern(plate)
            records.append(Record(time: time, confidence: confidence, textStart: start, idLength: UInt32(id.count),
                                  image: imageField, checkpoint: checkpoint(checkpointID), type: type,
                                  imageForm: form, plateSpelling: spelling(plate, of: p)))
            plateOfRecord.append(p)
        }

        /// Adds one read given as an event (the general reader path, tests).
        public mutating func append(_ e: CameraEvent) {
            var id = e.id
            var image = e.image
            id.withByteSpan { idBytes in
                if image != nil {
                    image!.withByteSpan { imageBytes in
                        append(id: idBytes, checkpointID: e.checkpointID, time: e.time, plate: e.plate, type: e.type,
                               confidence: e.confidence, image: imageBytes)
                    }
                } else {
                    append(id: idBytes, checkpointID: e.checkpointID, time: e.time, plate: e.plate, type: e.type,
                           confidence: e.confidence, image: nil)
                }
            }
        }

        private mutating func checkpoint(_ id: String) -> Int32 {
            let key = ExactText(id)
            if let k = checkpointIndex[key] { return k }
            let k = Int32(checkpointIDs.count)
            checkpointIDs.append(id)
            checkpointIndex[key] = k
            return k
        }

        /// The template `image` is (prefix + id + suffix), `nil` when the id is not in it
        /// or the templates are full.
        private mutating func template(_ image: ByteSpan, around id: ByteSpan) -> Int? {
            if lastTemplate >= 0 {
                let t = imageTemplates[lastTemplate]
                if image.count == t.prefix.count + id.count + t.suffix.count, image.starts(with: t.prefix),
                   image[t.prefix.count..<t.prefix.count + id.count].elementsEqual(id),
                   image[(image.count - t.suffix.count)...].elementsEqual(t.suffix) {
                    return lastTemplate
                }
            }
            guard !id.isEmpty, image.count >= id.count,
                  let at = (0...(image.count - id.count)).first(where: {
                      image[$0..<$0 + id.count].elementsEqual(id)
                  }) else { return nil }
            let t = ImageTemplate(prefix: Array(image[..<at]), suffix: Array(image[(at + id.count)...]))
            if let k = templateIndex[t] {
                lastTemplate = Int(k)
            } else {
                guard imageTemplates.count < Self.maxTemplates else { return nil }
                templateIndex[t] = Int32(imageTemplates.count)
                imageTemplates.append(t)
                lastTemplate = imageTemplates.count - 1
            }
            return lastTemplate
        }

        /// 0 when `plate` has the bytes of its group's first spelling, else its other spelling's number.
        private mutating func spelling(_ plate: String, of p: Int32) -> UInt16 {
            if plates[p].utf8.elementsEqual(plate.utf8) { return 0 }
            var others = otherSpellings[p] ?? []
            if let k = others.firstIndex(where: { $0.utf8.elementsEqual(plate.utf8) }) { return UInt16(k + 1) }
            precondition(others.count < Int(UInt16.max), "more than 65,535 spellings of one camera plate")
            others.append(plate)
            otherSpellings[p] = others
            return UInt16(others.count)
        }

        /// The reads grouped by plate (plates in file-first order), each plate's sorted by
        /// time, then id, then file position.
        public consuming func build() -> CameraReads {
            let n = records.count
            precondition(n < Int(Int32.max), "more than 2^31 camera reads")
            var out = CameraReads()
            // Counting pass: where each plate's reads start, then each plate's file positions.
            var starts = [Int](repeating: 0, count: plates.count + 1)
            for p in plateOfRecord { starts[Int(p) + 1] += 1 }
            for p in 0..<plates.count { starts[p + 1] += starts[p] }
            var order = [Int32](repeating: 0, count: n)
            var next = starts
            for (i, p) in plateOfRecord.enumerated() {
                order[next[Int(p)]] = Int32(i)
                next[Int(p)] += 1
            }
            plateOfRecord = []
            for p in 0..<plates.count {
                order[starts[p]..<starts[p + 1]].sort { a, b in
                    Self.precedes(records[Int(a)], Int(a), records[Int(b)], Int(b), text)
                }
            }
            // records[j] = old records[order[j]], in place, cycle by cycle.
            for i in 0..<n where order[i] >= 0 {
                let first = records[i]
                var j = i
                while true {
                    let k = Int(order[j])
                    order[j] = -1
                    if k == i { records[j] = first; break }
                    records[j] = records[k]
                    j = k
                }
            }
            out.records = records
            out.text = text
            out.imageTemplates = imageTemplates
            out.checkpointIDs = checkpointIDs
            out.plateTable = plates
            out.plateStarts = starts
            out.otherSpellings = otherSpellings
            return out
        }

        /// `(time, id) <` as on `CameraEvent` (ids compared as `String`s, made only when
        /// times tie and bytes differ), then file position: a stable sort's order.
        private static func precedes(_ x: Record, _ xi: Int, _ y: Record, _ yi: Int, _ t: [UInt8]) -> Bool {
            if x.time != y.time { return x.time < y.time }
            let xs = t[x.textStart..<x.textStart + Int(x.idLength)]
            let ys = t[y.textStart..<y.textStart + Int(y.idLength)]
            if !xs.elementsEqual(ys) {
                let a = String(decoding: xs, as: UTF8.self), b = String(decoding: ys, as: UTF8.self)
                if a != b { return a < b }
            }
            return xi < yi
        }
    }
}

/// A `String` hashed and compared byte for byte (not by canonical equivalence): interned
/// checkpoint ids keep each spelling the file has.
private struct ExactText: Hashable {
    var text: String
    init(_ text: String) { self.text = text }
    static func == (a: ExactText, b: ExactText) -> Bool { a.text.utf8.elementsEqual(b.text.utf8) }
    func hash(into h: inout Hasher) {
        var t = text
        t.withByteSpan { $0.hash(into: &h) }
    }
}

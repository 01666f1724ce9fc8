import Dispatch
import MuckWatchCore
import MuckWatchIngest

/// Cuts the next pieces of a traces file on a background thread while the current ones
/// are parsed, so reading the file (I/O, copying, finding record ends) is off the
/// critical path. Owns the stream while reading ahead; `finish` hands it back.
final class ReadAhead {
    struct Batch {
        var pieces: [TraceChunk] = []
        /// A whole JT/T 808 capture (always alone: it is a whole file).
        var capture: TraceChunk?
        var error: (any Error)?
    }

    /// The stream; touch it only while nothing is read ahead (after `next`, before `start`).
    var stream: TraceStream {
        get { owned.value }
        _modify { yield &owned.value }
    }
    /// Moved to the background read and back: `next` and `wait` wait for the read.
    private let owned: UncheckedBox<TraceStream>
    private let count: Int
    private let queue = DispatchQueue(label: "muckwatch.read-ahead")
    private var reading: BackgroundResult<Batch, Never>?

    init(_ stream: TraceStream, pieces: Int) {
        owned = UncheckedBox(stream)
        count = max(1, pieces)
    }

    /// Starts cutting the next batch of pieces.
    func start() {
        precondition(reading == nil)
        reading = BackgroundResult(on: queue) { [owned, count] in
            var b = Batch()
            do {
                while b.pieces.count < count, let piece = try owned.value.nextChunk() {
                    if piece.isCapture {
                        b.capture = piece
                        break
                    }
                    b.pieces.append(piece)
                }
            } catch {
                b = Batch(error: error)
            }
            return b
        }
    }

    /// The batch started last (waits for it); rethrows what reading it threw.
    func next() throws -> Batch {
        // Hand the batch over: its pieces' memory goes back to the stream as soon as the
        // caller is done with them, not when the next batch replaces this one.
        let b = reading?.get() ?? Batch()
        reading = nil
        if let e = b.error { throw e }
        return b
    }

    /// Waits for any batch still being read.
    func wait() { reading?.wait() }
}

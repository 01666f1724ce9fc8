import Dispatch
import MuckWatchCore
import MuckWatchIngest
import MuckWatchJudge

/// Reads the references while the traces are read: the config and the registry first
/// (the trace reader needs them, and they are small), then fences, permits, cameras, manifests and gate records on a background thread,
/// so the single-threaded JSON work fills the gaps between the parallel parse steps.
///
/// Failures come out exactly as from `References.load`: the first failing input in the
/// order config, fences, vehicles, permits, cameras, and before any trace error.
final class ReferenceLoad {
    /// Config and vehicles (fences, permits and cameras still loading).
    let early: References
    private let earlyError: IngestError?
    private let late: BackgroundResult<Late, Never>
    private let o: ReferenceFiles

    /// What the background read: fences, permits and cameras, or the first error.
    private struct Late {
        var refs = References()
        var error: IngestError?
        /// `error` came from the fences (which precede the vehicles in `load`'s order).
        var fencesFailed = false
    }

    init(_ o: ReferenceFiles) throws(AnalysisError) {
        self.o = o
        var r = References()
        if let path = o.config {
            do { r.config = try ConfigReader.read(path: path) } catch { throw .input(error.description) }
        }
        var vehiclesError: IngestError?
        do {
            if let p = o.vehicles { r.vehicles = try VehicleReader.read(path: p, rejects: &r.rejects) }
        } catch {
            vehiclesError = error
        }
        early = r
        // Grouped where they are read: the background result is kept for the whole run, so
        // it holds the grouped records only, not a second, file-ordered copy of them.
        let tagOwners = r.tagOwners
        earlyError = vehiclesError
        late = BackgroundResult(on: .global()) {
            var late = Late()
            do throws(IngestError) { late.refs.fences = try FenceReader.read(path: o.fences) } catch {
                late.fencesFailed = true
                late.error = error
                return late
            }
            do throws(IngestError) {
                if let p = o.permits { late.refs.permits = try PermitReader.read(path: p, rejects: &late.refs.rejects) }
                if let p = o.cameras { late.refs.cameras = try CameraReader.read(path: p, rejects: &late.refs.rejects) }
                late.refs.chain = try References.readChain(o, tagOwners: tagOwners, rejects: &late.refs.rejects)
            } catch {
                late.error = error
            }
            return late
        }
    }

    /// Waits for the background reads; throws the error `References.load` would have.
    func finish() throws(AnalysisError) -> References {
        if let e = firstError() { throw .input(e.description) }
        let late = late.get().refs
        var r = early
        r.fences = late.fences
        r.permits = late.permits
        r.cameras = late.cameras
        r.rejects += late.rejects
        r.chain = late.chain
        r.shiftFences(from: o.fenceCoords)
        return r
    }

    /// A reference error, if any, in `References.load` order (waits for the background).
    func firstError() -> IngestError? {
        let late = late.get()
        // A fences error precedes a vehicles error; permits and cameras errors follow it.
        if late.fencesFailed { return late.error }
        return earlyError ?? late.error
    }
}

import Dispatch
import MuckWatchCore
import MuckWatchIngest
import MuckWatchJudge

/// Reads the references while the traces are read: the config and the registry first
/// (the trace reader needs them, and they are small), then fences, permits and cameras on a background thread,
/// so the single-threaded JSON work fills the gaps between the parallel parse steps.
///
/// Failures come out exactly as from `References.load`: the first failing input in the
/// order config, fences, vehicles, permits, cameras, and before any trace error.
final class ReferenceLoad: @unchecked Sendable {
    /// Config and vehicles (fences, permits and cameras still loading).
    let early: References
    private var late = References()
    private var lateError: IngestError?
    /// `lateError` came from the fences (which precede the vehicles in `load`'s order).
    private var fencesFailed = false
    private var earlyError: IngestError?
    private let group = DispatchGroup()
    private let o: ReferenceFiles

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
        earlyError = vehiclesError
        group.enter()
        DispatchQueue.global().async { [self] in
            defer { group.leave() }
            do throws(IngestError) { late.fences = try FenceReader.read(path: o.fences) } catch {
                fencesFailed = true
                lateError = error
                return
            }
            do throws(IngestError) {
                if let p = o.permits { late.permits = try PermitReader.read(path: p, rejects: &late.rejects) }
                if let p = o.cameras { late.cameras = try CameraReader.read(path: p, rejects: &late.rejects) }
            } catch {
                lateError = error
                return
            }
        }
    }

    /// Waits for the background reads; throws the error `References.load` would have.
    func finish() throws(AnalysisError) -> References {
        group.wait()
        if let e = firstError() { throw .input(e.description) }
        var r = early
        r.fences = late.fences
        r.permits = late.permits
        r.cameras = late.cameras
        r.rejects += late.rejects
        r.shiftFences(from: o.fenceCoords)
        return r
    }

    /// A reference error, if any, in `References.load` order (waits for the background).
    func firstError() -> IngestError? {
        group.wait()
        // A fences error precedes a vehicles error; permits and cameras errors follow it.
        if fencesFailed { return lateError }
        return earlyError ?? lateError
    }
}

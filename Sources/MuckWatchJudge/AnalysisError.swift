/// Why a run (batch or live) could not start or complete. Bad rows are rejects, never
/// errors: an error means a whole input, the fences' geometry or the output is unusable.
public enum AnalysisError: Error, CustomStringConvertible {
    case input(String)
    case geometry(String)
    case output(String)

    public var description: String {
        switch self {
        case .input(let m), .geometry(let m), .output(let m): return m
        }
    }
}

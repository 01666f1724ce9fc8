import Logging
import MuckWatchDispatch
import MuckWatchIngest
import MuckWatchStore

/// The dispatch worker of `serve` and `gateway`, from their `--config` file (issue #20).
enum DispatchSetup {
    /// The file's dispatch keys; the whole file is checked as an analysis config too, so a typo
    /// anywhere is reported by the command that reads it.
    static func settings(config: String?) throws -> DispatchSettings {
        guard let config else { return DispatchSettings() }
        do {
            _ = try ConfigReader.read(path: config)
            return try DispatchConfigReader.read(path: config)
        } catch let e as IngestError {
            throw CLIError(e.description)
        } catch let e as DispatchConfigError {
            throw CLIError(e.description)
        }
    }

    /// The worker for `settings` on the store at `db`; `nil` when the config sets neither
    /// webhooks nor rules (then this process leaves the store's dispatch targets alone).
    static func worker(db: String, settings: DispatchSettings, logger: Logger) throws -> DispatchWorker? {
        guard !settings.isEmpty else { return nil }
        do {
            return try DispatchWorker(storePath: db, settings: settings, logger: logger)
        } catch {
            throw CLIError("\(db): \(error)")
        }
    }

    /// `/readyz`'s words on the worker: `nil` when it runs (or none is configured).
    static func readiness(_ worker: DispatchWorker?) -> String? {
        guard let worker else { return nil }
        if !worker.state.isRunning { return "dispatch worker: not running" }
        return worker.state.problem.map { "dispatch worker: \($0)" }
    }
}

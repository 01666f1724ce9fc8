import ArgumentParser
import MuckWatchCore

/// The reference files and datums `analyze` and `check` both take, named and explained once.
struct ReferenceOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Geofences: a GeoJSON file or a folder of them (sites, disposal sites, routes, zones, checkpoints).", valueName: "dir-or-file"))
    var fences: String

    @Option(help: ArgumentHelp("Checkpoint camera events (JSON Lines).", valueName: "file"))
    var cameras: String?

    @Option(help: ArgumentHelp("Disposal permits (JSON array or JSON Lines).", valueName: "file"))
    var permits: String?

    @Option(help: ArgumentHelp("Vehicle registry CSV: vehicle_id,company,rated_load_t,terminal_id.", valueName: "file"))
    var vehicles: String?

    @Option(help: ArgumentHelp("Manifests (电子联单): JSON Lines or a JSON array (contract section 12).", valueName: "file"))
    var manifests: String?

    @Option(name: .customLong("gate-events"),
            help: ArgumentHelp("Site gate records (plate, RFID tag, weighbridge): JSON Lines or a JSON array.", valueName: "file"))
    var gateEvents: String?

    @Option(name: .customLong("fence-coords"), help: "Datum of the fence coordinates: wgs84 or gcj02 (web-map fences).")
    var fenceCoords: Datum = .wgs84

    @Option(name: .customLong("trace-coords"), help: "Datum of the trace coordinates: wgs84 or gcj02.")
    var traceCoords: Datum = .wgs84

    @Option(help: ArgumentHelp("JSON file overriding thresholds (see docs/configuration.md).", valueName: "file"))
    var config: String?

    var files: ReferenceFiles {
        ReferenceFiles(fences: fences, cameras: cameras, permits: permits, vehicles: vehicles, config: config,
                       manifests: manifests, gateEvents: gateEvents, fenceCoords: fenceCoords)
    }
}

public import MuckWatchCore

/// Reads gate records (contract section 12): JSON Lines or a JSON array, one per pass
/// through a site gate. A bad record or a later duplicate of an `event_id` is a reject.
public enum GateEventReader {
    public static func read(path: String, rejects: inout [Reject]) throws(IngestError) -> [GateEvent] {
        try KeyedRecords.read(path: path, what: "gate events", error: { .invalidGateEvents(path: $0, reason: $1) },
                              rejects: &rejects, id: \.id, parse: event, parseDictionary: event, name: "gate event")
    }

    static func event(_ f: inout some RecordFields) throws(RecordProblem) -> GateEvent {
        let id = try f.required("event_id")
        f.id = id
        let site = try f.required("site")
        guard let time = try f.time("time") else { throw f.problem("missing time") }
        guard let direction = try f.choice("direction", GateDirection.self) else { throw f.problem("missing direction (in or out)") }
        let plate = f.text("plate"), rfid = f.text("rfid")
        guard plate != nil || rfid != nil else { throw f.problem("neither plate nor rfid: the pass belongs to no vehicle") }
        return GateEvent(id: id, site: site, time: time, direction: direction, plate: plate, rfid: rfid,
                         grossT: try f.tonnes("gross_t"), tareT: try f.tonnes("tare_t"),
                         manifestID: f.text("manifest_id"), image: f.text("image"))
    }
}

import Foundation
public import MuckWatchCore

/// Reads the vehicle registry (contract section 5): CSV with a header.
public enum VehicleReader {
    public static func read(path: String, rejects: inout [Reject]) throws(IngestError) -> [Vehicle] {
        let bytes = try FileBytes.read(path)
        return try bytes.withByteSpan { (b: ByteSpan) throws(IngestError) -> [Vehicle] in
            var start = 0
            if b.count >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF { start = 3 }
            var cursor = CSVCursor(b, start)
            var s: [Int] = [], e: [Int] = []
            guard cursor.nextRecord(&s, &e) else { throw .invalidVehicles(path: path, reason: "empty file: expected a header vehicle_id,company,rated_load_t,terminal_id") }
            func field(_ k: Int) -> String {
                let (a, z) = CSVCursor.trimmed(b, s[k], e[k])
                return b.extracting(a..<z).text
            }
            let header = (0..<s.count).map(field)
            guard let idCol = header.firstIndex(of: "vehicle_id") else {
                throw .invalidVehicles(path: path, reason: "header has no 'vehicle_id' column")
            }
            let companyCol = header.firstIndex(of: "company"), ratedCol = header.firstIndex(of: "rated_load_t")
            let terminalCol = header.firstIndex(of: "terminal_id"), rfidCol = header.firstIndex(of: "rfid")
            var out: [Vehicle] = []
            var seen = Set<String>()
            while true {
                let line = cursor.line
                guard cursor.nextRecord(&s, &e) else { break }
                if s.count == 1 && CSVCursor.isBlank(b, s[0], e[0]) { continue }
                guard s.count == header.count else {
                    rejects.append(Reject(file: path, line: line, reason: "expected \(header.count) fields, found \(s.count)"))
                    continue
                }
                let id = field(idCol)
                guard !id.isEmpty else { rejects.append(Reject(file: path, line: line, reason: "missing vehicle_id")); continue }
                guard !seen.contains(id) else { rejects.append(Reject(file: path, line: line, reason: "duplicate vehicle_id \(id)")); continue }
                var rated: Double?
                if let c = ratedCol, !field(c).isEmpty {
                    guard let r = Double(field(c)), r.isFinite, r > 0 else {
                        rejects.append(Reject(file: path, line: line, reason: "rated_load_t '\(field(c))' is not a positive number"))
                        continue
                    }
                    rated = r
                }
                seen.insert(id)
                let terminal = terminalCol.map(field).flatMap { $0.isEmpty ? nil : $0 }
                let rfid = rfidCol.map(field).flatMap { $0.isEmpty ? nil : $0 }
                out.append(Vehicle(id: id, company: companyCol.map(field) ?? "", ratedLoadT: rated, terminalID: terminal,
                                   rfid: rfid))
            }
            return out
        }
    }
}

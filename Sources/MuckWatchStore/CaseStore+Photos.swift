public import MuckWatchCore

/// `case_photos`: one row per photo of a case; the file itself lives beside the store under
/// its SHA-256 (issue #26).
enum PhotoColumns: String, ColumnSet {
    case id, caseID = "case_id", sha256, mediaType = "media_type", bytes, fileName = "file_name", taken
    case gpsLat = "gps_lat", gpsLon = "gps_lon", at, atUnix = "at_unix", actor
}

/// A photo an officer took on site, as checked by the app: its content hash and type, the name
/// the phone gave it, and what its EXIF says (capture time as written, WGS84 position).
public struct PhotoFacts: Sendable, Equatable {
    public var sha256: String
    public var mediaType: String
    public var bytes: Int
    public var fileName: String
    /// EXIF DateTimeOriginal as the camera wrote it (local time, no zone).
    public var taken: String?
    public var gpsLat: Double?
    public var gpsLon: Double?

    public init(sha256: String, mediaType: String, bytes: Int, fileName: String, taken: String? = nil,
                gpsLat: Double? = nil, gpsLon: Double? = nil) {
        self.sha256 = sha256
        self.mediaType = mediaType
        self.bytes = bytes
        self.fileName = fileName
        self.taken = taken
        self.gpsLat = gpsLat
        self.gpsLon = gpsLon
    }
}

/// A stored photo: its facts and who added it when.
public struct StoredPhoto: Sendable, Equatable {
    public var facts: PhotoFacts
    public var at: Int64
    public var actor: String
}

extension CaseStore {
    /// Adds a photo to a case with its audit row (who added which file), in one transaction.
    /// - Returns: `false` when the case already has this very file (nothing written).
    /// - Throws: `.refused` when the case already has `limit` photos, `.caseNotFound`.
    @discardableResult
    public func addPhoto(caseID: String, _ photo: PhotoFacts, actor: String, limit: Int) throws(StoreError) -> Bool {
        let at = now(), clock = self.clock
        return try db.transaction { () throws(StoreError) -> Bool in
            let current = try currentStatus(caseID)
            let existing = try photos(caseID: caseID)
            if existing.contains(where: { $0.facts.sha256 == photo.sha256 }) { return false }
            guard existing.count < limit else {
                throw .refused(caseID: caseID, reason: "it already has \(limit) photos, the most a case takes")
            }
            let p = try Parameters<PhotoColumns>(db, PhotoColumns.insert(into: "case_photos", except: [.id]))
            try p.bindEach { c in
                switch c {
                case .caseID: .text(caseID)
                case .sha256: .text(photo.sha256)
                case .mediaType: .text(photo.mediaType)
                case .bytes: SQLValue(photo.bytes)
                case .fileName: .text(photo.fileName)
                case .taken: SQLValue(photo.taken)
                case .gpsLat: SQLValue(photo.gpsLat)
                case .gpsLon: SQLValue(photo.gpsLon)
                case .at: .text(clock.format(at))
                case .atUnix: .int(at)
                case .actor: .text(actor)
                case .id: .null
                }
            }
            try p.run()
            try appendEvent(caseID, at: at, actor: actor, action: "photo", from: current, to: current,
                            note: "\(photo.fileName) (\(photo.mediaType), \(photo.bytes) bytes, sha256 \(photo.sha256))")
            return true
        }
    }

    /// A case's photos, in the order they were added.
    public func photos(caseID: String) throws(StoreError) -> [StoredPhoto] {
        try photos(where: "case_id = :case_id", caseID: caseID, sha256: nil)
    }

    /// The photo `sha256` of case `caseID`, or `nil` when that case has no such photo.
    public func photo(caseID: String, sha256: String) throws(StoreError) -> StoredPhoto? {
        try photos(where: "case_id = :case_id AND sha256 = :sha256", caseID: caseID, sha256: sha256).first
    }

    private func photos(where condition: String, caseID: String, sha256: String?) throws(StoreError) -> [StoredPhoto] {
        let columns: [PhotoColumns] = [.sha256, .mediaType, .bytes, .fileName, .taken, .gpsLat, .gpsLon, .atUnix, .actor]
        let r = try ResultColumns<PhotoColumns>(db, select: columns, from: "case_photos WHERE \(condition) ORDER BY id")
        try r.bind(.caseID, .text(caseID))
        if let sha256 { try r.bind(.sha256, .text(sha256)) }
        var out: [StoredPhoto] = []
        while try r.step() {
            out.append(StoredPhoto(
                facts: PhotoFacts(sha256: r.text(.sha256), mediaType: r.text(.mediaType), bytes: Int(r.int64(.bytes)),
                                  fileName: r.text(.fileName), taken: r.string(.taken),
                                  gpsLat: r.optionalDouble(.gpsLat), gpsLon: r.optionalDouble(.gpsLon)),
                at: r.int64(.atUnix), actor: r.text(.actor)))
        }
        return out
    }
}

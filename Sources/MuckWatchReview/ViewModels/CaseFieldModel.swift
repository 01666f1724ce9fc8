import MuckWatchCore
import MuckWatchJudge
import MuckWatchStore

/// The field part of a case page (partial `case-field`, issue #26): the deadline, the dump
/// point's map links, the handlings, the photos with their EXIF, the evaluations, and the
/// forms the viewer may use. The printed sheet can show `photos` and `handlings` as they are.
struct CaseFieldModel {
    struct PhotoItem {
        var url, name, kind, size, addedBy, added: String
        var taken: String?, gps: String?
        var gpsLinks: MapLinks?
    }
    struct HandlingItem { var at, actor, outcome: String; var particulars: String?; var note: String? }
    struct EvaluationItem { var at, actor, verdict, timing: String; var reason: String? }

    var caseID: String
    var csrf: String
    var due: String?, overdue: String?, timing: String?
    var links: MapLinks?
    var photos: [PhotoItem], hasPhotos: Bool, photoCount: Int, maxPhotos: Int, maxMB: Int, maxPerUpload: Int
    var handlings: [HandlingItem], evaluations: [EvaluationItem]
    var canHandle: Bool, outcomes: [SelectOption]
    var canUpload: Bool
    var canEvaluate: Bool, onTime: String?

    /// What the store holds of the case's field work, read in one visit.
    struct Record: Sendable {
        var times: CaseTimes?
        var photos: [StoredPhoto]
        var handlings: [StoredHandling]
        var evaluations: [StoredEvaluation]
        var now: Int64

        static func load(_ id: String, from s: CaseStore) throws(StoreError) -> Record {
            Record(times: try s.caseTimes(.ids([id])).first, photos: try s.photos(caseID: id),
                   handlings: try s.handlings(caseID: id), evaluations: try s.evaluations(caseID: id), now: s.currentTime())
        }
    }

    init(_ c: StoredCase, _ r: Record, viewer: Viewer, settings: FieldSettings, clock: LocalClock) {
        caseID = c.caseID
        csrf = viewer.csrf
        let limits = r.times.map { settings.deadlines.limits(departments: $0.departments, types: $0.types) }
        if let t = r.times {
            let facts = CaseDeadlineFacts(t, policy: settings.deadlines, now: r.now, clock: clock)
            (due, overdue) = (facts.due, facts.overdue)
            let parts = [t.clock.timeToDispatch.map { "dispatched after \(Labels.duration($0))" },
                         t.clock.timeToHandle.map { "handled \(Labels.duration($0)) after dispatch" }].compactMap { $0 }
            timing = parts.isEmpty ? nil : parts.joined(separator: " · ")
            links = MapLinks(lat: t.lat, lon: t.lon, label: "\(c.caseID) \(c.vehicleID)")
        }
        photos = r.photos.map { p in
            PhotoItem(url: "/cases/\(c.caseID)/photos/\(p.facts.sha256)", name: p.facts.fileName,
                      kind: p.facts.mediaType, size: "\((p.facts.bytes + 1023) / 1024) KB", addedBy: p.actor,
                      added: Labels.time(p.at, clock), taken: p.facts.taken,
                      gps: p.facts.gpsLat.flatMap { la in p.facts.gpsLon.map { Labels.degrees(la, $0) } },
                      gpsLinks: MapLinks(lat: p.facts.gpsLat, lon: p.facts.gpsLon, label: p.facts.fileName))
        }
        hasPhotos = !photos.isEmpty
        photoCount = photos.count
        maxPhotos = settings.maxPhotosPerCase
        maxMB = settings.maxPhotoBytes / (1024 * 1024)
        maxPerUpload = settings.maxPhotosPerUpload
        handlings = r.handlings.map { h in
            let x = h.handling
            let particulars = [x.penaltyYuan.map { "\(Labels.money($0)) yuan" }, x.documentNumber.map { "document \($0)" },
                               x.transferredTo.map { "to \($0)" }].compactMap { $0 }
            return HandlingItem(at: Labels.time(h.at, clock), actor: h.actor, outcome: Labels.outcome(x.outcome),
                                particulars: particulars.isEmpty ? nil : particulars.joined(separator: " · "), note: x.note)
        }
        evaluations = r.evaluations.map { e in
            EvaluationItem(at: Labels.time(e.at, clock), actor: e.actor, verdict: Labels.verdict(e.verdict),
                           timing: e.onTime.map { $0 ? "on time 按时" : "late 超时" } ?? "—", reason: e.reason)
        }
        let acts = viewer.user.role.acts
        canHandle = acts && c.status == .dispatched
        outcomes = HandlingOutcome.allCases.map { SelectOption(value: $0.rawValue, label: Labels.outcome($0), selected: false) }
        canUpload = acts && (c.status == .dispatched || c.status == .resolved) && photos.count < settings.maxPhotosPerCase
        canEvaluate = viewer.user.role == .supervisor && c.status == .resolved
        onTime = limits.flatMap { r.times?.clock.onTime($0) }.map {
            $0 ? "on time 按时 (within the deadlines)" : "late 超时 (past a deadline)"
        }
    }
}

/// The field settings the pages and routes share (from `ReviewConfiguration`).
struct FieldSettings: Sendable {
    var deadlines = DeadlinePolicy()
    var maxPhotoBytes = 10 * 1024 * 1024
    var maxPhotosPerCase = 10
    var maxPhotosPerUpload = 3
    var folder = PhotoFolder(path: "")

    init() {}

    init(_ c: ReviewConfiguration) {
        deadlines = c.deadlines
        maxPhotoBytes = c.maxPhotoBytes
        maxPhotosPerCase = c.maxPhotosPerCase
        maxPhotosPerUpload = c.maxPhotosPerUpload
        folder = PhotoFolder(path: c.photos)
    }
}

import MuckWatchCore
import MuckWatchStore

/// What one `/manifests` request read from the store: a page of manifests, the per-state counts
/// of the whole filtered set, and the values the filter menus offer.
struct ManifestListing: Sendable {
    var counts: [ManifestState: Int]
    var rows: [StoredManifest]
    var sites: [String]
    var companies: [String]

    static func load(_ q: ManifestListQuery, pageSize: Int, from s: CaseStore) throws(StoreError) -> ManifestListing {
        ManifestListing(counts: try s.manifestCountsByState(q.filter),
                        rows: try s.manifestPage(q.filter, offset: (q.page - 1) * pageSize, limit: pageSize),
                        sites: try s.manifestSites(), companies: try s.registryCompanies())
    }
}

/// What the manifests view shows (template `manifests`): state tabs with counts, the filter form as
/// the URL set it, one page of manifests with the trip each matched and its case, and the pager.
///
/// Every logged-in user sees every manifest: manifests are the platform's own records of the loads,
/// not findings routed to a department. A case is linked only for a viewer who may open it (an
/// officer sees the case id of another department's case, without a link). The property names are
/// the template's keys.
struct ManifestListModel {
    struct Row {
        var id, state, stateLabel, opened, vehicle, company, driver, waste: String
        var source, planned, closed, declared, received: String
        /// The matched trip as "plate · loaded HH:MM:SS", or why there is none.
        var trip: String, matched: Bool
        var caseID: String?, caseLink: String?
    }

    var total: Int, notice: String?, stateTabs: [ListTab], state: String?
    var sites: [SelectOption], companies: [SelectOption]
    var vehicle, driver, from, to: String
    var rows: [Row], page: Int, pages: Int, previous: String?, next: String?

    init(_ query: ManifestListQuery, listing: ManifestListing, viewer user: User, names: FenceNames, clock: LocalClock,
         pageSize: Int) {
        let filter = query.filter
        total = ListTab.total(listing.counts, selected: filter.state)
        notice = query.parameters.notice
        stateTabs = ListTab.tabs(query.parameters, key: "state", selected: filter.state, counts: listing.counts,
                                 label: Labels.manifestState)
        state = filter.state?.rawValue
        sites = listing.sites.map { SelectOption(value: $0, label: names.label($0) ?? $0, selected: filter.site == $0) }
        companies = listing.companies.map { SelectOption(value: $0, label: $0, selected: filter.company == $0) }
        vehicle = filter.vehicle ?? ""
        driver = filter.driver ?? ""
        from = filter.dateFrom?.description ?? ""
        to = filter.dateTo?.description ?? ""
        rows = listing.rows.map { Row($0, viewer: user, names: names, clock: clock) }
        (page, pages, previous, next) = query.parameters.pager(total: total, pageSize: pageSize)
    }
}

extension ManifestListModel.Row {
    init(_ s: StoredManifest, viewer: User, names: FenceNames, clock: LocalClock) {
        let m = s.manifest
        let site = { (id: String) in names.label(id) ?? id }
        self.init(
            id: m.id, state: s.entry.state.rawValue, stateLabel: Labels.manifestState(s.entry.state),
            opened: Labels.time(m.openedAt, clock), vehicle: m.vehicleID, company: s.company ?? "unregistered",
            driver: m.driverID ?? "—", waste: Labels.waste(m.wasteType), source: site(m.sourceSite),
            planned: site(m.disposalSite),
            closed: m.closedAt.map { Labels.time($0, clock) + (m.closedSite.map { " at " + site($0) } ?? "") } ?? "not closed",
            declared: Labels.tonnes(m.declaredT), received: m.receivedT.map(Labels.tonnes) ?? "—",
            trip: s.entry.tripLoadedAt.map { m.vehicleID + " · loaded " + Labels.time($0, clock) } ?? "no trip matched",
            matched: s.entry.tripLoadedAt != nil,
            caseID: s.entry.caseID,
            caseLink: s.entry.caseID.flatMap { viewer.canSee(caseDepartments: s.caseDepartments) ? "/cases/" + $0 : nil })
    }
}

import Foundation
import Hummingbird
import HummingbirdTesting
import MuckWatchCore
import MuckWatchStore
import MuckWatchTestSupport
import Testing

/// The manifests view, the case page's chain and the chain statistics, driven through the router
/// on a store analyzed with manifests and gate records (`ChainNight`).
@Suite("Review app: manifests and gate passes")
struct ManifestViewTests {
    /// Manifest ids listed on a page, in order.
    static func ids(_ html: String) -> [String] {
        html.components(separatedBy: #"<td class="manifest-id">"#).dropFirst().map { String($0.prefix { $0 != "<" }) }
    }

    /// The `<tr>` of manifest `id` on a page.
    static func row(_ id: String, in html: String) -> String? {
        guard let start = html.range(of: #"<tr class="manifest-row" id="m-\#(id)">"#) else { return nil }
        return html[start.lowerBound...].components(separatedBy: "</tr>")[0]
    }

    static func encoded(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }

    @Test("A mismatched manifest's row shows its state and trip and links to its case, whose page shows the chain", arguments: StoreBackend.allCases)
    func mismatchedToCase(backend: StoreBackend) async throws {
        let world = try await ReviewWorld.make(backend, store: ChainNight.analyzed, run: ChainNight.run)
        defer { world.cleanup() }
        let store = try world.store()
        let mismatched = try #require(try store.manifestPage(ManifestFilter(state: .mismatched), offset: 0, limit: 50)
            .first { $0.manifest.id == "M-TEST-2" })
        let caseID = try #require(mismatched.entry.caseID)
        let weighed = try #require(try store.gateEvents(ids: ["G-TEST-1-OUT"]).first?.event)
        let closedCase = try #require(try store.manifest(id: "M-TEST-1")?.entry.caseID)
        try await world.app().test(.router) { client in
            var b = Browser()
            try await b.login(client, "li")
            let list = try await b.get(client, "/manifests")
            #expect(list.status == .ok)
            #expect(list.text.contains(#"id="nav-manifests""#))
            let row = try #require(Self.row("M-TEST-2", in: list.text))
            #expect(row.contains("mismatched 联单不符"))
            #expect(row.contains(#"<a href="/cases/\#(caseID)" class="manifest-case">\#(caseID)</a>"#))
            #expect(row.contains(mismatched.manifest.vehicleID + " · loaded "))
            let page = try await b.get(client, "/cases/\(caseID)")
            #expect(page.status == .ok)
            #expect(page.text.contains(#"id="cm-M-TEST-2""#))
            #expect(page.text.contains(#"<td class="n declared">\#(String(format: "%.1f t", mismatched.manifest.declaredT))</td>"#))
            #expect(page.text.contains(#"class="closing-mark""#))
            // The mismatch cites the manifest in its evidence; a violation citing none shows no list
            // (a key missing from a violation must not be looked up in the page around it).
            #expect(page.text.contains("<dt>Manifests</dt><dd>M-TEST-2</dd>"))
            #expect(!page.text.contains("ManifestFacts("))
            // The case of the manifest weighed at both gates shows each pass's net weight.
            let closed = try await b.get(client, "/cases/\(closedCase)")
            #expect(closed.text.contains(#"id="g-G-TEST-1-OUT""#))
            #expect(closed.text.contains(#"<td class="n net">\#(String(format: "%.1f t", weighed.netT!))</td>"#))
            #expect(closed.text.contains("gates/G-TEST-1-OUT.jpg"))
            #expect(closed.text.contains(#"class="gate-mark""#))
        }
    }

    @Test("Each filter lists exactly the store's matching manifests, with counts per state", arguments: StoreBackend.allCases)
    func filters(backend: StoreBackend) async throws {
        let world = try await ReviewWorld.make(backend, store: ChainNight.analyzed, run: ChainNight.run)
        defer { world.cleanup() }
        let store = try world.store()
        let all = try store.manifestPage(ManifestFilter(), offset: 0, limit: 1000)
        #expect(all.count == 3)
        let m = all.first { $0.manifest.id == "M-TEST-1" }!
        let day = LocalClock.shanghai.date(of: m.manifest.openedAt)
        let filters: [(String, ManifestFilter)] = [
            ("state=mismatched", ManifestFilter(state: .mismatched)),
            ("site=\(m.manifest.sourceSite)", ManifestFilter(site: m.manifest.sourceSite)),
            ("site=\(m.manifest.disposalSite)", ManifestFilter(site: m.manifest.disposalSite)),
            ("company=\(Self.encoded(m.company!))", ManifestFilter(company: m.company)),
            ("vehicle=\(Self.encoded(m.manifest.vehicleID))", ManifestFilter(vehicle: m.manifest.vehicleID)),
            ("driver=DR-2", ManifestFilter(driver: "DR-2")),
            ("date=\(day)", ManifestFilter(dateFrom: day, dateTo: day)),
            ("from=2030-01-01", ManifestFilter(dateFrom: LocalDate(year: 2030, month: 1, day: 1))),
        ]
        let expectations = try filters.map { q, f in (q, try store.manifestPage(f, offset: 0, limit: 50).map(\.manifest.id)) }
        #expect(expectations.contains { $0.1.count < all.count && !$0.1.isEmpty }, "some filter narrows the list")
        try await world.app().test(.router) { client in
            var b = Browser()
            try await b.login(client, "chen")
            for (query, expected) in expectations {
                let page = try await b.get(client, "/manifests?" + query)
                #expect(page.status == .ok)
                #expect(Self.ids(page.text) == expected, "\(query)")
                #expect(page.text.contains("<small>\(expected.count) matching</small>"), "\(query)")
            }
            let driver = try await b.get(client, "/manifests?driver=DR-2")
            #expect(Self.ids(driver.text) == ["M-TEST-3"])
            #expect(driver.text.contains(#"data-state="open">open 未闭合 <b>"#)
                    || driver.text.contains(#"data-state="unclosed">unclosed 超时未闭合 <b>1</b>"#))
            let bad = try await b.get(client, "/manifests?state=lost&from=soon&site=%27%20OR%201%3D1%20--")
            #expect(bad.text.contains("unknown manifest state “lost”") && bad.text.contains("not a date"))
            #expect(Self.ids(bad.text).isEmpty)
        }
    }

    @Test("Officers see every manifest; a case outside their departments is named without a link", arguments: StoreBackend.allCases)
    func officerLinks(backend: StoreBackend) async throws {
        let world = try await ReviewWorld.make(backend, store: ChainNight.analyzed, run: ChainNight.run)
        defer { world.cleanup() }
        let all = try world.store().manifestPage(ManifestFilter(), offset: 0, limit: 50)
        // A manifest whose case one officer's department has and the other's has not.
        let m = try #require(all.first {
            $0.entry.caseID != nil
                && $0.caseDepartments.contains("city_management") != $0.caseDepartments.contains("traffic_police")
        })
        let caseID = try #require(m.entry.caseID)
        let (seer, blind) = m.caseDepartments.contains("city_management") ? ("wang", "zhao") : ("zhao", "wang")
        try await world.app().test(.router) { client in
            var theirs = Browser(), others = Browser()
            try await theirs.login(client, seer)
            try await others.login(client, blind)
            let linked = try #require(Self.row(m.manifest.id, in: try await theirs.get(client, "/manifests").text))
            #expect(linked.contains(#"href="/cases/\#(caseID)""#))
            let page = try await others.get(client, "/manifests")
            #expect(Self.ids(page.text).count == all.count)
            let row = try #require(Self.row(m.manifest.id, in: page.text))
            #expect(row.contains(caseID) && !row.contains("href=\"/cases/\(caseID)\""))
            #expect(try await others.get(client, "/cases/\(caseID)").status == .forbidden)
        }
    }

    @Test("The statistics page adds the chain's figures when the store has manifests, and only then", arguments: StoreBackend.allCases)
    func statistics(backend: StoreBackend) async throws {
        let world = try await ReviewWorld.make(backend, store: ChainNight.analyzed, run: ChainNight.run)
        defer { world.cleanup() }
        let store = try world.store()
        let day = try store.manifestDates().first!
        let chain = try store.chainStatistics(day)
        #expect(chain.manifestsOpened == 3 && chain.manifestsClosed == 2 && chain.tripsWithoutManifest > 0)
        try await world.app().test(.router) { client in
            var b = Browser()
            try await b.login(client, "wang")
            let r = try await b.get(client, "/stats?date=\(day)")
            #expect(r.text.contains(#"id="chain-stats""#))
            #expect(r.text.contains(#"<div class="kpi" id="kpi-closure"><span>closure rate 闭环率</span><b>66.7 %</b></div>"#))
            #expect(r.text.contains(#"<div class="kpi" id="kpi-without"><span>trips without manifest 无联单</span><b>\#(chain.tripsWithoutManifest)</b></div>"#))
            for section in ["stat-discharged", "stat-received", "stat-facility", "stat-chain-companies", "stat-drivers"] {
                #expect(r.text.contains(#"id="\#(section)""#))
            }
            #expect(r.text.contains(#"<a href="/manifests?driver=DR-1&amp;from=\#(day)&amp;to=\#(day)">DR-1</a>"#))
        }
        let v1 = try await ReviewWorld.make(backend)
        defer { v1.cleanup() }
        try await v1.app().test(.router) { client in
            var b = Browser()
            try await b.login(client, "wang")
            let r = try await b.get(client, "/stats")
            #expect(r.status == .ok && !r.text.contains("chain-stats"))
            let list = try await b.get(client, "/manifests")
            #expect(list.status == .ok && list.text.contains("No manifest matches these filters."))
        }
    }
}

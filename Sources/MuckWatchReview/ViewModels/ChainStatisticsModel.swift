import Foundation
import MuckWatchCore
import MuckWatchStore

extension StatisticsModel {
    /// The day's chain figures (contract section 12): headline numbers, then one table per breakdown.
    struct Chain {
        struct Figure { var key, label, value: String }
        struct Cell { var text: String; var numeric: Bool; var href: String? }
        struct Row { var cells: [Cell] }
        /// A table with its bar chart; `headers` and each row's `cells` line up.
        struct Grid { var key, title: String; var chart: String; var headers: [Cell]; var rows: [Row] }

        var figures: [Figure]
        var grids: [Grid]
    }

    static func chain(_ st: ChainStatistics, names: FenceNames) -> Chain {
        let site = { (id: String) in names.label(id) ?? id }
        let byFacility = st.tonnesByFacility
        let day = st.date.description
        var figures = [
            Chain.Figure(key: "opened", label: "manifests opened 联单", value: String(st.manifestsOpened)),
            Chain.Figure(key: "closed", label: "closed 已闭合", value: String(st.manifestsClosed)),
            Chain.Figure(key: "closure", label: "closure rate 闭环率", value: Labels.percent(st.closureRate)),
            Chain.Figure(key: "without", label: "trips without manifest 无联单", value: String(st.tripsWithoutManifest)),
        ]
        figures += Facility.allCases.map {
            Chain.Figure(key: $0.rawValue, label: Labels.facility($0), value: Labels.tonnes(byFacility[$0] ?? 0))
        }
        figures.append(Chain.Figure(key: "recycling-rate", label: "recycling rate 资源化利用率",
                                    value: Labels.percent(st.recyclingRate)))

        let text = { (s: String) in Chain.Cell(text: s, numeric: false, href: nil) }
        let number = { (s: String) in Chain.Cell(text: s, numeric: true, href: nil) }
        let headers = { (names: [String], numericFrom: Int) in
            names.enumerated().map { Chain.Cell(text: $1, numeric: $0 >= numericFrom, href: nil) }
        }
        let tallyRow = { (t: ChainStatistics.Tally, href: String?, company: Bool) -> Chain.Row in
            Chain.Row(cells: [Chain.Cell(text: t.name, numeric: false, href: href), number(String(t.manifests)),
                              number(String(t.closed)), number(Labels.percent(t.closureRate)), number(String(t.flagged)),
                              number(Labels.tonnes(t.declaredT)), number(Labels.tonnes(t.receivedT))]
                      + (company ? [number(String(t.tripsWithoutManifest))] : []))
        }
        let tallyHeaders = ["manifests", "closed", "closure rate", "unclosed or mismatched", "declared", "received"]
        let link = { (key: String, value: String) in
            ListParameters.link(path: "/manifests", [(key, value), ("from", day), ("to", day)])
        }
        let grids = [
            Chain.Grid(key: "discharged", title: "Discharged by source site and waste type 排放量",
                       chart: BarChart(rows: st.discharged.map { (site($0.site) + " · " + Labels.waste($0.wasteType), $0.tonnes) },
                                       color: "#e8590c", unit: "t").svg(),
                       headers: headers(["source site", "waste type", "declared", "manifests"], 2),
                       rows: st.discharged.map {
                           Chain.Row(cells: [Chain.Cell(text: site($0.site), numeric: false, href: link("site", $0.site)),
                                             text(Labels.waste($0.wasteType)), number(Labels.tonnes($0.tonnes)),
                                             number(String($0.manifests))])
                       }),
            Chain.Grid(key: "received", title: "Received by disposal site and facility 消纳量",
                       chart: BarChart(rows: st.received.map { (site($0.site), $0.tonnes) }, color: "#2f9e44", unit: "t").svg(),
                       headers: headers(["disposal site", "facility", "received", "trips"], 2),
                       rows: st.received.map {
                           Chain.Row(cells: [text(site($0.site)), text(Labels.facility($0.facility)),
                                             number(Labels.tonnes($0.tonnes)), number(String($0.trips))])
                       }),
            Chain.Grid(key: "facility", title: "Landfilled, recycled, sorted, backfilled 资源化",
                       chart: BarChart(rows: Facility.allCases.map { (Labels.facility($0), byFacility[$0] ?? 0) },
                                       color: "#0c8599", unit: "t").svg(),
                       headers: headers(["facility", "received"], 1),
                       rows: Facility.allCases.map {
                           Chain.Row(cells: [text(Labels.facility($0)), number(Labels.tonnes(byFacility[$0] ?? 0))])
                       }),
            Chain.Grid(key: "chain-companies", title: "Manifests by company 运输企业联单",
                       chart: BarChart(rows: st.byCompany.map { ($0.name, Double($0.manifests)) }, color: "#7048e8",
                                       unit: "").svg(),
                       headers: headers(["company"] + tallyHeaders + ["trips without manifest"], 1),
                       rows: st.byCompany.map {
                           tallyRow($0, $0.name == CaseStore.unregisteredCompany ? nil : link("company", $0.name), true)
                       }),
            Chain.Grid(key: "drivers", title: "Manifests by driver 驾驶员联单",
                       chart: BarChart(rows: st.byDriver.map { ($0.name, Double($0.manifests)) }, color: "#1971c2",
                                       unit: "").svg(),
                       headers: headers(["driver"] + tallyHeaders, 1),
                       rows: st.byDriver.map {
                           tallyRow($0, $0.name == CaseStore.noDriver ? nil : link("driver", $0.name), false)
                       }),
        ]
        return Chain(figures: figures, grids: grids)
    }
}

/// A horizontal bar chart as inline SVG: the top rows of a statistics table at a glance.
struct BarChart {
    var rows: [(label: String, value: Double)]
    var color: String
    var unit: String

    func svg(maxRows: Int = 10) -> String {
        let shown = Array(rows.prefix(maxRows))
        guard let top = shown.map(\.value).max(), top > 0 else { return "" }
        let rowH = 22.0, labelW = 230.0, width = 560.0, barW = width - labelW - 70
        var s = ##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \##(num(width)) \##(num(Double(shown.count) * rowH + 4))" role="img">"##
        for (i, r) in shown.enumerated() {
            let y = Double(i) * rowH + 2
            let w = max(1, r.value / top * barW)
            let name = displayWidth(r.label) > 36 ? String(r.label.prefix(18)) + "…" : r.label
            s += ##"<text x="\##(num(labelW - 6))" y="\##(num(y + 15))" text-anchor="end" font-size="12" fill="#334e68">\##(escapeHTML(name))</text>"##
            s += ##"<rect x="\##(num(labelW))" y="\##(num(y + 3))" width="\##(num(w))" height="\##(num(rowH - 7))" rx="2" fill="\##(color)"/>"##
            s += ##"<text x="\##(num(labelW + w + 5))" y="\##(num(y + 15))" font-size="12" fill="#1f2933">\##(escapeHTML(format(r.value)))</text>"##
        }
        return s + "</svg>"
    }

    func format(_ v: Double) -> String {
        v == v.rounded() && unit != "t" ? String(Int(v)) : num(v) + (unit == "t" ? " t" : "")
    }
}

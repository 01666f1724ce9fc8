/// A tab over a list page (cases by status, manifests by state): a link to the same list with
/// only that filter changed, and how many rows the rest of the filters leave in it.
struct ListTab {
    var href: String
    var label: String
    var count: Int
    var active: Bool
    /// The filter's value, for the page's CSS and tests; empty on the "all" tab.
    var status: String

    /// "all" and then one tab per value of `key`, each keeping the other filters and going back to page 1.
    static func tabs<Value: RawRepresentable<String> & CaseIterable & Hashable>(
        _ parameters: ListParameters, key: String, selected: Value?, counts: [Value: Int], label: (Value) -> String)
        -> [ListTab] {
        var tabs = [ListTab(href: parameters.link([key: nil, "page": nil]), label: "all 全部",
                            count: counts.values.reduce(0, +), active: selected == nil, status: "")]
        for v in Value.allCases {
            tabs.append(ListTab(href: parameters.link([key: v.rawValue, "page": nil]), label: label(v),
                                count: counts[v] ?? 0, active: selected == v, status: v.rawValue))
        }
        return tabs
    }

    /// The rows in the selected tab (all of them when none is).
    static func total<Value: Hashable>(_ counts: [Value: Int], selected: Value?) -> Int {
        selected.map { counts[$0] ?? 0 } ?? counts.values.reduce(0, +)
    }
}

/// One `<option>` of a filter menu.
struct SelectOption {
    var value: String
    var label: String
    var selected: Bool
}

public import ArgumentParser
public import MuckWatchStore

/// `muckwatch dispatch status --db F`: every delivery with its tries, newest first.
struct DispatchStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "List dispatch deliveries: state, tries, last error, delivery time.",
        discussion: """
            One block per delivery (a dispatched case × a department with a webhook), newest \
            first, each try under it. Pending deliveries are retried by the worker in `serve` \
            or `gateway`; failed ones gave up after the retry window (docs/dispatch.md).
            """)

    @OptionGroup var store: StoreOption
    @Option(help: ArgumentHelp("Only this case's deliveries.", valueName: "id"))
    var caseID: String?
    @Option(help: ArgumentHelp("Only deliveries in this state (pending, delivered, failed).", valueName: "state"))
    var state: OutboxDelivery.State?
    @Option(help: ArgumentHelp("At most this many deliveries.", valueName: "n"))
    var limit = 100

    func run() throws {
        let s = try store.open()
        do {
            let deliveries = try s.deliveries(caseID: caseID, state: state, limit: max(1, limit))
            let counts = try s.outboxCounts()
            var out = ""
            for d in deliveries {
                out += DeliveryLines.summary(d, clock: s.clock) + "\n"
                for a in try s.attempts(deliveryID: d.id) {
                    out += "    " + DeliveryLines.attempt(a, clock: s.clock) + "\n"
                }
            }
            out += "\(deliveries.count) deliver\(deliveries.count == 1 ? "y" : "ies") listed; in the store: "
                + OutboxDelivery.State.allCases.map { "\($0.rawValue) \(counts[$0] ?? 0)" }.joined(separator: ", ")
            print(out)
        } catch {
            throw CLIError("\(store.db): \(error)")
        }
    }
}

extension OutboxDelivery.State: ExpressibleByArgument {}

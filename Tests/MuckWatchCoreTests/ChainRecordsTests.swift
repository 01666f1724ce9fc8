import Testing
import MuckWatchCore
import MuckWatchTestSupport

/// `ChainRecords` sorts plates by rank (issue #19); the order must stay exactly the one of
/// sorting by (plate, time, id) as `String`s, which case ids and the store's rows follow.
struct ChainRecordsTests {
    /// Non-ASCII plates, a plate spelt two canonically equal ways (é composed and not), and
    /// plates that are prefixes of each other.
    static let plates = ["渝A12345", "渝A1234", "渝B00001", "川A00001", "LT00001", "LT0000", "caf\u{E9}", "cafe\u{301}", "渝AD0001"]

    @Test(arguments: [1, 2, 3, 7, 42, 1_000, 65_537])
    func manifestsAndGateEventsKeepTheStringOrder(seed: Int) {
        var r = SeededRandom(seed: UInt64(seed))
        let manifests = (0..<400).map { i in
            Manifest(id: "M\(r.int(in: 0...60))-\(i)", vehicleID: Self.plates[r.int(in: 0...Self.plates.count - 1)],
                     sourceSite: "S1", disposalSite: "D1", wasteType: .excavatedSoil, declaredT: 10,
                     openedAt: Int64(r.int(in: 0...20)))
        }
        let tags = ["T1": "渝A12345", "T2": "cafe\u{301}"]
        let gates = (0..<400).map { i in
            let tagOnly = r.int(in: 0...3) == 0
            // Scanned with one of the manifests, with one the run does not have, or with none.
            let manifest = [manifests[r.int(in: 0...manifests.count - 1)].id, "M-unknown", nil][r.int(in: 0...2)]
            return GateEvent(id: "G\(r.int(in: 0...60))-\(i)", site: "S1", time: Int64(r.int(in: 0...20)),
                             direction: .out, plate: tagOnly ? nil : Self.plates[r.int(in: 0...Self.plates.count - 1)],
                             rfid: ["T1", "T2", "T9"][r.int(in: 0...2)], manifestID: manifest)
        }
        let chain = ChainRecords(manifests: manifests, gateEvents: gates, tagOwners: tags)

        let expectedManifests = manifests.sorted { ($0.vehicleID, $0.openedAt, $0.id) < ($1.vehicleID, $1.openedAt, $1.id) }
        #expect(chain.manifests.map(\.id) == expectedManifests.map(\.id))
        let owned = gates.compactMap { e in e.vehicle(tagOwners: tags).map { (owner: $0, event: e) } }
            .sorted { ($0.owner, $0.event.time, $0.event.id) < ($1.owner, $1.event.time, $1.event.id) }
        #expect(chain.gateEvents.map(\.id) == owned.map(\.event.id))
        #expect(chain.gateOwners == owned.map(\.owner))
        // Each pass's tag owner, looked up once, at the pass's index.
        #expect(chain.gateTagOwners == owned.map { $0.event.rfid.flatMap { tags[$0] } })
        #expect(chain.gateTagOwners(plate: "渝A12345").count == chain.gateEvents(plate: "渝A12345").count)
        #expect(chain.unowned == gates.count - owned.count)

        // Each plate's slice holds exactly its records, whichever spelling asks.
        for plate in Self.plates {
            #expect(chain.manifests(plate: plate).map(\.id) == expectedManifests.filter { $0.vehicleID == plate }.map(\.id))
            #expect(chain.gateEvents(plate: plate).map(\.id) == owned.filter { $0.owner == plate }.map(\.event.id))
        }
        #expect(chain.manifests(plate: "caf\u{E9}").count == chain.manifests(plate: "cafe\u{301}").count)

        // Each manifest's gate passes, found by its position, in the grouped passes' order.
        for k in chain.manifests.indices {
            #expect(chain.gateEventIndices(manifestAt: k).map { chain.gateEvents[$0].id }
                == chain.gateEvents.filter { $0.manifestID == chain.manifests[k].id }.map(\.id))
        }
        #expect(chain.manifests.indices.map { chain.gateEventIndices(manifestAt: $0).count }.reduce(0, +)
            == chain.gateEvents.filter { $0.manifestID != nil && $0.manifestID != "M-unknown" }.count)
    }
}

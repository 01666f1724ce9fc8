import Testing

@Test func placeholder_MuckWatchIngestTests() { #expect(Bool(true)) }

import Testing

@Test func placeholder_MuckWatchCoreTests() { #expect(Bool(true)) }

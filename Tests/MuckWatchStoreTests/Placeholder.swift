import Testing

@Test func placeholder_MuckWatchStoreTests() { #expect(Bool(true)) }

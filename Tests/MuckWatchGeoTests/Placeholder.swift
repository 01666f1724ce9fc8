import Testing

@Test func placeholder_MuckWatchGeoTests() { #expect(Bool(true)) }

import Testing

@Test func placeholder_MuckWatchRulesTests() { #expect(Bool(true)) }

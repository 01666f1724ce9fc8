import Testing

@Test func placeholder_MuckWatchCasesTests() { #expect(Bool(true)) }

import Testing

@Test func placeholder_MuckWatchAnalysisTests() { #expect(Bool(true)) }

import Testing

@Test func placeholder_MuckWatchPipelineTests() { #expect(Bool(true)) }

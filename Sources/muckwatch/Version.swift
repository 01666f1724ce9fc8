import MuckWatchCore

/// What `muckwatch --version` prints: the release, the commit it was built from (written
/// by the BuildInfo plugin; "+changes" when the tree had uncommitted edits) and the
/// interchange contract it speaks — what an operator's bug report needs.
enum Version {
    static let release = "0.19.0"
    static var line: String { "muckwatch \(release) (commit \(buildCommit), contract v\(Contract.version))" }
}

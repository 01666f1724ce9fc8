/// Which interchange contract this build speaks (docs/formats.md): v2 adds manifests and
/// gate records (section 12) to v1's inputs and outputs.
public enum Contract {
    public static let version = 2
}

/// The version printed by `wsauth --version` and sent in the User-Agent header.
public enum WSAuthVersion {
    public static let string = "0.1.0"
}

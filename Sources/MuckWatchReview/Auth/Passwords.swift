import HummingbirdBcrypt

/// Password hashing for review-app accounts: bcrypt, so a copied store file does not give away passwords.
public enum Passwords {
    /// Cost 11: about a tenth of a second per login on this class of machine, slow enough for guessers.
    public static let cost: UInt8 = 11

    /// Tests pass a low `cost`; the cost is kept in the hash, so verifying needs no setting.
    public static func hash(_ password: String, cost: UInt8 = Passwords.cost) -> String {
        Bcrypt.hash(password, cost: cost)
    }

    public static func verify(_ password: String, hash: String) -> Bool { Bcrypt.verify(password, hash: hash) }

    /// Verified against when the user name is unknown, so a wrong name costs as long as a wrong password.
    static let decoy = Bcrypt.hash("muckwatch-decoy", cost: cost)

    /// Refuses passwords an officer's account should never have.
    public static func weakness(of password: String, user: String) -> String? {
        if password.count < 8 { return "the password must have at least 8 characters" }
        if password.lowercased() == user.lowercased() { return "the password must differ from the user name" }
        return nil
    }
}

/// Random tokens for session cookies and CSRF fields: 256 bits from the system generator, hex.
enum Tokens {
    static func random() -> String {
        var g = SystemRandomNumberGenerator()
        var out = ""
        out.reserveCapacity(64)
        for _ in 0..<4 {
            let word = g.next() as UInt64
            let hex = String(word, radix: 16)
            out += String(repeating: "0", count: 16 - hex.count) + hex
        }
        return out
    }
}

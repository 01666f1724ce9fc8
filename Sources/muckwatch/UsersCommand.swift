public import ArgumentParser
import Foundation
import MuckWatchReview
import MuckWatchStore

/// `muckwatch users`: the review app's accounts, kept in the case store.
struct UsersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Create and list the review app's accounts.",
        subcommands: [UsersAddCommand.self, UsersListCommand.self])
}

extension Role: ExpressibleByArgument {}

struct UsersAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Create an account (or replace its password, role and departments).",
        discussion: """
            The password is asked for at a prompt (twice), or read as the first line of standard input \
            when that is not a terminal: `echo "$PW" | muckwatch users add wang --role officer --department \
            city_management --db DB`. Only a bcrypt hash is stored.
            """)

    @OptionGroup var store: StoreOption
    @Argument(help: "The user name to log in with.")
    var name: String
    @Option(help: "officer (works the cases of their departments), supervisor (works every case) or auditor (reads only).")
    var role: Role
    @Option(name: .customLong("department"),
            help: ArgumentHelp("A department whose cases the officer works (repeat for several).", valueName: "name"))
    var departments: [String] = []

    func validate() throws {
        if role == .officer, departments.isEmpty {
            throw ValidationError("an officer needs at least one --department (e.g. city_management)")
        }
        try Self.validateName(name, what: "user")
    }

    /// Account and token names: 1–64 letters, digits, '.', '_' or '-' (they appear in the audit trail).
    static func validateName(_ name: String, what: String) throws {
        guard !name.isEmpty, name.count <= 64, name.allSatisfy({ $0.isLetter || $0.isNumber || "._-".contains($0) }) else {
            throw ValidationError("\(what) names are 1–64 letters, digits, '.', '_' or '-'")
        }
    }

    func run() throws {
        let s = try store.open()
        let password = try readPassword()
        if let weakness = Passwords.weakness(of: password, user: name) { throw CLIError(weakness) }
        do {
            try s.saveUser(User(name: name, role: role, departments: departments, passwordHash: Passwords.hash(password)))
        } catch { throw CLIError("\(store.db): \(error)") }
        print("\(name): \(role.rawValue)" + (departments.isEmpty ? "" : " of " + departments.joined(separator: ", ")))
    }

    func readPassword() throws -> String {
        guard isatty(0) != 0 else {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw CLIError("no password on standard input")
            }
            return line
        }
        let first = prompt("Password for \(name): ")
        let second = prompt("Again: ")
        guard first == second else { throw CLIError("the two passwords differ") }
        return first
    }

    /// Reads a line from the terminal without echoing it.
    func prompt(_ text: String) -> String {
        FileHandle.standardError.write(Data(text.utf8))
        var old = termios()
        tcgetattr(0, &old)
        var quiet = old
        quiet.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(0, TCSANOW, &quiet)
        defer {
            tcsetattr(0, TCSANOW, &old)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return readLine(strippingNewline: true) ?? ""
    }
}

struct UsersListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the accounts.")

    @OptionGroup var store: StoreOption

    func run() throws {
        let s = try store.open()
        do {
            for u in try s.users() {
                print([u.name, u.role.rawValue, u.departments.joined(separator: ",")].joined(separator: "\t"))
            }
        } catch { throw CLIError("\(store.db): \(error)") }
    }
}

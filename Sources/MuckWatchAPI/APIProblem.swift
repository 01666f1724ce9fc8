import Hummingbird

/// A request the API refuses: the status and a sentence saying what to do, and the
/// parameter or body field at fault when there is one. Answered as the spec's `Error` body.
struct APIProblem: Error, Sendable, Equatable {
    var status: HTTPResponse.Status
    var message: String
    var field: String?

    static func badRequest(_ message: String, field: String?) -> APIProblem {
        APIProblem(status: .badRequest, message: message, field: field)
    }

    static func forbidden(_ message: String, field: String? = nil) -> APIProblem {
        APIProblem(status: .forbidden, message: message, field: field)
    }

    static func notFound(_ message: String, field: String?) -> APIProblem {
        APIProblem(status: .notFound, message: message, field: field)
    }
}

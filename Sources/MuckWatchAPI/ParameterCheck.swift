import Foundation

/// Finds the query parameter at fault when a generated stub cannot decode a request's query
/// (its error names no parameter): each parameter the request carries is checked against
/// the document's own schema for it (enum, integer, boolean), so the answer's `field` names it.
enum ParameterCheck {
    /// The first parameter of `operationID` whose value in `query` its schema refuses, and why.
    static func fault(operationID: String, query: String?) -> (field: String, message: String)? {
        guard let query, let parameters = parameters[operationID] else { return nil }
        let items = URLComponents(string: "?" + query)?.queryItems ?? []
        for item in items {
            guard let value = item.value, let schema = parameters[item.name] else { continue }
            if let allowed = schema.allowed, !allowed.contains(value) {
                return (item.name, "\(item.name): “\(value)” is not one of \(allowed.joined(separator: ", "))")
            }
            switch schema.type {
            case "integer" where Int(value) == nil: return (item.name, "\(item.name): “\(value)” is not an integer")
            case "boolean" where !["true", "false"].contains(value):
                return (item.name, "\(item.name): “\(value)” is not true or false")
            default: continue
            }
        }
        return nil
    }

    /// Each operation's query parameters and their schemas (references resolved), read once from the document.
    private struct Schema: Sendable {
        var type: String?
        var allowed: [String]?
    }

    private static let parameters: [String: [String: Schema]] = {
        guard let document = try? JSONSerialization.jsonObject(with: IntegrationAPI.document) as? [String: Any],
              let paths = document["paths"] as? [String: [String: Any]],
              let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]] else { return [:] }
        var out: [String: [String: Schema]] = [:]
        for item in paths.values {
            for case let operation as [String: Any] in item.values {
                guard let id = operation["operationId"] as? String else { continue }
                var byName: [String: Schema] = [:]
                for case let p as [String: Any] in operation["parameters"] as? [Any] ?? [] where p["in"] as? String == "query" {
                    guard let name = p["name"] as? String, var schema = p["schema"] as? [String: Any] else { continue }
                    if let ref = schema["$ref"] as? String, let resolved = schemas[String(ref.split(separator: "/").last ?? "")] {
                        schema = resolved
                    }
                    byName[name] = Schema(type: schema["type"] as? String, allowed: schema["enum"] as? [String])
                }
                out[id] = byName
            }
        }
        return out
    }()
}

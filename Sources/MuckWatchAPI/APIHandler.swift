import Foundation
import Hummingbird
import MuckWatchStore
import OpenAPIRuntime

/// The generated `APIProtocol`'s implementation: each operation checks the caller's scope
/// and hands its typed input to the endpoint that answers it. Refusals are thrown as
/// `APIProblem` and answered by `BearerTokenMiddleware` as the document's `Error`.
struct APIHandler: APIProtocol {
    let store: APIStore

    func listCases(_ input: Operations.ListCases.Input) async throws -> Operations.ListCases.Output {
        .ok(.init(body: .json(try await CaseEndpoints(store: store).list(input.query, token: APICaller.require(.read)))))
    }

    func getCase(_ input: Operations.GetCase.Input) async throws -> Operations.GetCase.Output {
        .ok(.init(body: .json(try await CaseEndpoints(store: store).detail(input.path.id, token: APICaller.require(.read)))))
    }

    func transitionCase(_ input: Operations.TransitionCase.Input) async throws -> Operations.TransitionCase.Output {
        let token = try APICaller.require(.dispatch)
        guard case .json(let transition) = input.body else { throw APIProblem.badRequest("send JSON", field: "body") }
        return .ok(.init(body: .json(try await CaseEndpoints(store: store).transition(input.path.id, transition, token: token))))
    }

    func listTrips(_ input: Operations.ListTrips.Input) async throws -> Operations.ListTrips.Output {
        .ok(.init(body: .json(try await TripEndpoints(store: store).list(input.query, token: APICaller.require(.read)))))
    }

    func getStatistics(_ input: Operations.GetStatistics.Input) async throws -> Operations.GetStatistics.Output {
        .ok(.init(body: .json(try await StatisticsEndpoint(store: store).day(input.query.date, token: APICaller.require(.read)))))
    }

    func ingestManifests(_ input: Operations.IngestManifests.Input) async throws -> Operations.IngestManifests.Output {
        .ok(.init(body: .json(try await ingest(input.body, .manifests))))
    }

    func ingestGateEvents(_ input: Operations.IngestGateEvents.Input) async throws -> Operations.IngestGateEvents.Output {
        .ok(.init(body: .json(try await ingest(input.body, .gateEvents))))
    }

    func ingestCameraEvents(_ input: Operations.IngestCameraEvents.Input) async throws -> Operations.IngestCameraEvents.Output {
        .ok(.init(body: .json(try await ingest(input.body, .cameraEvents))))
    }

    func getOpenAPIDocument(_ input: Operations.GetOpenAPIDocument.Input) async throws -> Operations.GetOpenAPIDocument.Output {
        .ok(.init(body: .json(try JSONDecoder().decode(OpenAPIObjectContainer.self, from: IntegrationAPI.document))))
    }

    /// The three ingestion operations' bodies are alike (a JSON array or JSON Lines); so is their answer.
    private func ingest(_ body: some IngestionBody, _ kind: RecordKind) async throws -> Components.Schemas.IngestReport {
        let token = try APICaller.require(.ingest)
        let lines: RecordLines
        if let records = body.records {
            lines = try RecordLines(elements: records)
        } else {
            let data: Data
            do { data = try await Data(collecting: body.raw!, upTo: RecordLines.maxBytes) } catch {
                throw APIProblem(status: .contentTooLarge,
                                 message: "request body over \(RecordLines.maxBytes) bytes: send fewer records per request",
                                 field: "body")
            }
            lines = try RecordLines(body: data)
        }
        let answers = try await Ingestion(store: store).ingest(lines, kind: kind, actor: token.actor)
        return Components.Schemas.IngestReport(answers)
    }
}

/// An ingestion operation's body: the generator makes one type per operation, all alike.
protocol IngestionBody {
    /// The decoded JSON array, when the body was `application/json`.
    var records: [Components.Schemas.Record]? { get }
    /// The JSON Lines bytes, otherwise.
    var raw: HTTPBody? { get }
}

extension Operations.IngestManifests.Input.Body: IngestionBody {
    var records: [Components.Schemas.Record]? { if case .json(let r) = self { r } else { nil } }
    var raw: HTTPBody? { if case .applicationXNdjson(let b) = self { b } else { nil } }
}

extension Operations.IngestGateEvents.Input.Body: IngestionBody {
    var records: [Components.Schemas.Record]? { if case .json(let r) = self { r } else { nil } }
    var raw: HTTPBody? { if case .applicationXNdjson(let b) = self { b } else { nil } }
}

extension Operations.IngestCameraEvents.Input.Body: IngestionBody {
    var records: [Components.Schemas.Record]? { if case .json(let r) = self { r } else { nil } }
    var raw: HTTPBody? { if case .applicationXNdjson(let b) = self { b } else { nil } }
}

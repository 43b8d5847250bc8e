import Foundation
import Hummingbird
import LinkStarCore
import LinkStarStore

/// Observations in, imports listed. Parses, calls one use case, encodes: no rule lives here.
struct ObservationsController: ResourceController {
    let api: APISupport

    /// Its keys and its observations' keys are single words (`JSONWireKeys`): decoded without key conversion. A plain
    /// batch (no escapes, no other keys, each key once) is read by hand, the rest by `JSONDecoder` (`PlainJSONDecodable`).
    struct ObservationBatch: JSONWireKeys, PlainJSONDecodable {
        var observations: [ObservationInput]

        static func decodePlain(_ reader: inout PlainJSONReader) -> ObservationBatch? {
            guard reader.openObject(), reader.hasNext(closing: UInt8(ascii: "}"), first: true), reader.key() == "observations",
                  reader.openArray() else { return nil }
            var observations: [ObservationInput] = []
            var first = true
            while reader.hasNext(closing: UInt8(ascii: "]"), first: first) {
                first = false
                guard let observation = observation(&reader) else { return nil }
                observations.append(observation)
            }
            guard !reader.hasNext(closing: UInt8(ascii: "}"), first: false) else { return nil }
            return ObservationBatch(observations: observations)
        }

        /// One element: the six fields and an optional currency (absent or null), each once, no other key.
        private static func observation(_ reader: inout PlainJSONReader) -> ObservationInput? {
            guard reader.openObject() else { return nil }
            var date, channel, market, device, metric: String?
            var value: Double?
            var currency: String?
            var currencySeen = false
            var first = true
            func set<T>(_ field: inout T?, _ read: T?) -> Bool {
                guard field == nil, let read else { return false }
                field = read
                return true
            }
            while reader.hasNext(closing: UInt8(ascii: "}"), first: first) {
                first = false
                let read: Bool
                switch reader.key() {
                case "date": read = set(&date, reader.string())
                case "channel": read = set(&channel, reader.string())
                case "market": read = set(&market, reader.string())
                case "device": read = set(&device, reader.string())
                case "metric": read = set(&metric, reader.string())
                case "value": read = set(&value, reader.number())
                case "currency":
                    read = !currencySeen && (reader.null() || set(&currency, reader.string()))
                    currencySeen = true
                default: read = false
                }
                guard read else { return nil }
            }
            guard let date, let channel, let market, let device, let metric, let value else { return nil }
            return ObservationInput(date: date, channel: channel, market: market, device: device, metric: metric, value: value,
                                    currency: currency)
        }
    }
    struct RevertBody: Decodable { var force: Bool? }

    func register(_ r: Routes) {
        let db = api.database
        r.post("/observations", .importObservations) { req, _, who in
            let batch = try await api.body(ObservationBatch.self, req)
            let summary = try db.importObservations(batch.observations, actor: who.handle)
            return try JSONResponse.make(summary, status: summary.outcome == .imported ? .created : .ok)
        }
        r.get("/imports") { req, _, _ in try JSONResponse.make(try Page.of(try await db.imports(limit: 100_000), request: req)) }
        r.post("/imports/:id/revert", .importRevert) { req, ctx, who in
            let input = try await api.body(RevertBody.self, req)
            return try JSONResponse.make(try await db.revertImport(id: try APISupport.id(ctx), force: input.force ?? false, actor: who.handle))
        }
    }
}

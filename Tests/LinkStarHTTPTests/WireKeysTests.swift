import Foundation
import LinkStarCore
import Testing
@testable import LinkStarHTTP
@testable import LinkStarStore

/// `JSONWireKeys` types are decoded without key conversion: the same documents must give the same values or fail the same.
@Suite("Wire keys")
struct WireKeysTests {
    @Test("an observation batch decodes the same with and without snake_case conversion, for well-named and odd keys")
    func sameAsConverting() throws {
        #expect(ObservationsController.ObservationBatch.self is any JSONWireKeys.Type)
        let element = #""date":"2026-11-01","channel":"amazon","market":"US","device":"mobile","metric":"orders""#
        for body in [
            #"{"observations":[{\#(element),"value":5}]}"#, #"{"observations":[{\#(element),"value":5,"currency":"USD"}]}"#,
            #"{"observations":[{\#(element),"value":5,"currency":null,"extra_key":1,"Value":2}]}"#,
            #"{"observations":[{\#(element),"Value":5}]}"#, #"{"observations":[{\#(element),"val_ue":5}]}"#,
            #"{"observations":[{\#(element),"value_":5}]}"#, #"{"observations":[{\#(element),"_value":5}]}"#,
            #"{"Observations":[]}"#, #"{"observations_":[]}"#, #"{"observations":[]}"#, #"{"observations":[{\#(element)}]}"#,
        ] {
            let data = Data(body.utf8)
            let converting = try? LinkStarJSON.decoder().decode(ObservationsController.ObservationBatch.self, from: data)
            let plain = try? LinkStarJSON.decoder(convertingKeys: false).decode(ObservationsController.ObservationBatch.self, from: data)
            #expect(converting?.observations == plain?.observations, "\(body)")
            #expect((converting == nil) == (plain == nil), "\(body)")
        }
    }
}

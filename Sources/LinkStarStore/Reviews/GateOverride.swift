import Foundation
import GRDB
import LinkStarCore

/// Overrides gating: the reason is audited.
public struct GateOverride: Sendable, Equatable {
    public var reason: String
    public init(reason: String) { self.reason = reason }
}

extension GateOverride {
    /// The override a `force` flag asks for: nil without force; a reason is required with it.
    public init?(force: Bool, reason: String?) throws {
        guard force else {
            if reason != nil { throw LinkStarError.invalidField("reason", "a reason goes with force") }
            return nil
        }
        guard let reason, !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw LinkStarError.invalidField("reason", "force needs a reason (it is audited)")
        }
        self.init(reason: reason)
    }
}

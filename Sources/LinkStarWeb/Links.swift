import Foundation
import LinkStarCore

/// Where a name on a page leads: served pages link ids, owners, layers and reviews to their pages; the one-file
/// report has no server behind it and links nothing.
struct Links: Sendable {
    /// Links on (served) or off (a file).
    var on: Bool

    static let served = Links(on: true)
    static let none = Links(on: false)

    func kpi(_ id: Int64) -> String? { on ? "/kpis/\(id)" : nil }
    func action(_ id: Int64) -> String? { on ? "/actions/\(id)" : nil }
    func review(_ id: Int64?) -> String? { on ? id.map { "/reviews/\($0)" } : nil }
    func playbook(_ layer: LayerKey) -> String? { on ? "/playbooks/\(layer.rawValue)" : nil }
    func funnel() -> String? { on ? "/funnel" : nil }

    /// A person's page; nothing for "nobody" or a missing handle.
    func person(_ handle: String?) -> String? {
        guard on, let handle, !handle.isEmpty else { return nil }
        return "/people/" + (handle.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? handle)
    }

    /// The audit log filtered to what one actor did (actors need not be people: `setup`, an OS user).
    func actor(_ handle: String) -> String? { on ? "/audit" + Self.query([("actor", handle)]) : nil }

    /// A query string from the non-empty values, in the given order.
    static func query(_ pairs: [(String, String?)]) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+#")
        let parts = pairs.compactMap { key, value in
            value.flatMap { $0.isEmpty ? nil : "\(key)=\($0.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0)" }
        }
        return parts.isEmpty ? "" : "?" + parts.joined(separator: "&")
    }
}

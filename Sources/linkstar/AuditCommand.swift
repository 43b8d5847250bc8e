import ArgumentParser
import LinkStarCore
import LinkStarStore

/// `linkstar audit`: who changed what, when, with before and after values.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Show the audit log, newest first.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "Entity type, optionally with an id: person, layer, metric, kpi, playbook, workspace; e.g. kpi:3.")
    var entity: String?
    @Option(help: "Only changes made by this handle.") var person: String?
    @Option(help: "At most this many entries.") var limit: Int = 50

    func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() async throws {
        let entries = try await global.open().auditEntries(entity: entity, actor: person, limit: limit)
        if output.json { return try Output.json(entries) }
        Output.table(["ID", "AT", "ACTOR", "ACTION", "ENTITY", "CHANGE"], entries.map {
            [String($0.id), LinkStarJSON.timestamp($0.at), $0.actor, $0.action, "\($0.entity):\($0.entityId)", AuditCommand.change($0)]
        })
    }

    static func change(_ e: AuditEntryView) -> String {
        func brief(_ v: JSONValue?) -> String {
            guard let v else { return "∅" }
            guard case .object(let o) = v else { return "\(v)" }
            return o.keys.sorted().prefix(4).map { k in "\(k)=\(scalar(o[k]!))" }.joined(separator: " ")
        }
        func scalar(_ v: JSONValue) -> String {
            switch v {
            case .null: "null"
            case .bool(let b): String(b)
            case .number(let n): n == n.rounded() ? String(Int64(n)) : String(n)
            case .string(let s): s
            case .array(let a): "[\(a.count)]"
            case .object: "{…}"
            }
        }
        if e.before == nil { return "+ " + brief(e.after) }
        // Show only the keys that changed.
        if case .object(let b)? = e.before, case .object(let a)? = e.after {
            let keys = Set(b.keys).union(a.keys).filter { b[$0] != a[$0] }.sorted()
            return keys.map { "\($0): \(b[$0].map(scalar) ?? "∅") → \(a[$0].map(scalar) ?? "∅")" }.joined(separator: "; ")
        }
        return "\(brief(e.before)) → \(brief(e.after))"
    }
}

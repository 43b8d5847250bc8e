/// The audit log's entity filter: `TYPE` (`kpi`, `gate.override`) or `TYPE:ID` (`kpi:3`, `layer:traffic`).
public enum AuditEntityFilter {
    /// The filter when it has that shape, else an error naming the field.
    public static func validate(_ text: String, field: String = "entity") throws -> String {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let typeOK = (1...40).contains(parts[0].count) && parts[0].allSatisfy { ("a"..."z").contains($0) || $0 == "_" || $0 == "." }
        let idOK = parts.count == 1 || ((1...100).contains(parts[1].count)
            && parts[1].allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || "._-".contains($0)) })
        guard typeOK && idOK else { throw LinkStarError.invalidField(field, "must be TYPE or TYPE:ID (e.g. kpi or kpi:3)") }
        return text
    }
}

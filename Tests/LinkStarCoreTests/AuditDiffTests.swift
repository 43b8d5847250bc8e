import LinkStarCore
import Testing

@Suite("Audit diff")
struct AuditDiffTests {
    @Test("every changed field, flattened, none dropped: a creation lists every field (role included)")
    func everyField() {
        let created = AuditDiff.changes(before: nil, after: .object([
            "handle": .string("feishu.bot"), "display_name": .string("Feishu bot"), "role": .string("admin"), "contact": .null,
            "active": .bool(true), "created_at": .string("2026-11-27T10:00:00Z"),
        ]))
        #expect(created.map(\.field) == ["active", "contact", "created_at", "display_name", "handle", "role"])
        #expect(created.first { $0.field == "role" } == AuditFieldChange(field: "role", before: nil, after: "admin"))

        let edited = AuditDiff.changes(
            before: .object(["target": .number(0.7), "baseline": .object(["value": .number(0.62), "from": .string("2026-09-01")]), "owner": .string("a")]),
            after: .object(["target": .number(0.75), "baseline": .object(["value": .number(0.64), "from": .string("2026-09-01")]), "owner": .string("a")]))
        #expect(edited == [AuditFieldChange(field: "baseline.value", before: "0.62", after: "0.64"),
                           AuditFieldChange(field: "target", before: "0.7", after: "0.75")])
        #expect(AuditDiff.changes(before: .string("x"), after: .string("y")) == [AuditFieldChange(field: "value", before: "x", after: "y")])
    }
}

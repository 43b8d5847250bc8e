import Foundation
import LinkStarCore
import LinkStarStore
import LinkStarText

/// A review (复盘) as a page: the pack, and for those whose role allows it a form per checklist item and the
/// close form. The rules (who may check, who may sign off, which items need a note) stay in the use cases:
/// a refusal comes back as the message on the page.
public enum ReviewPage {
    /// What a signed-in person may do on the page.
    public struct Viewer: Sendable {
        public var principal: Principal
        public var csrf: String
        public init(principal: Principal, csrf: String) { self.principal = principal; self.csrf = csrf }
    }

    public static func render(_ pack: ReviewPack, _ r: Reader, viewer: Viewer, message: String?, generatedAt: Date) -> String {
        let review = pack.review
        let open = review.status == .open
        let canCheck = open && viewer.principal.role.allows(WriteOperation.reviewCheck.requiredRole)
        let canClose = open && viewer.principal.role.allows(WriteOperation.reviewClose.requiredRole)
        var sections: [[String: Any]] = []
        let items: [[String: Any]] = review.items.map { item in
            var entry: [String: Any] = ["box": item.checked ? "[x]" : "[ ]", "position": item.position, "text": r.item(item),
                                        "checked": item.checked, "by": item.checkedBy.map { "\($0) \(item.checkedAt.map(r.time) ?? "")" } ?? false,
                                        "note": item.note ?? false, "optionalLabel": item.optional ? r("(optional)") : false]
            if canCheck {
                entry["form"] = item.checked
                    ? ["action": "/reviews/\(review.id)/items/\(item.position)/uncheck", "label": r("Uncheck"), "csrf": viewer.csrf, "notePlaceholder": false]
                    : ["action": "/reviews/\(review.id)/items/\(item.position)/check", "label": r("Check"), "csrf": viewer.csrf,
                       "notePlaceholder": r("What was found or done.")]
            } else {
                entry["form"] = false
            }
            return entry
        }
        var checklist: [String: Any] = ["kind": "checklist", "heading": r("Checklist"), "items": items,
                                        "message": message ?? false]
        checklist["closeForm"] = canClose ? ["action": "/reviews/\(review.id)/close", "label": r("Close the review (sign-off)"), "csrf": viewer.csrf] : false
        sections.append(checklist)
        sections.append(["kind": "kpis", "heading": r("KPIs"), "table": OverviewPage.table(Rows.kpiStatusHeaders, pack.kpis.map { Rows.kpiStatus($0, r) }, r)])
        sections.append(OverviewPage.funnelSection(pack.funnel, r))
        sections.append(["kind": "actions", "heading": r("Actions"),
                         "table": OverviewPage.table(Rows.reviewActionHeaders, Rows.reviewActions(pack.actions, r), r)])
        sections.append(["kind": "findings", "heading": r("Findings"), "lines": review.findings.map { "\($0.text) — \($0.author)" }])
        sections.append(["kind": "decisions", "heading": r("Decisions"), "lines": review.decisions.map { "\($0.text) — \($0.author)" }])
        let model: [String: Any] = [
            "lang": r.language == .zh ? "zh-CN" : "en", "title": r("复盘 REVIEW #\(review.id): \(r.scope(review.scope)) \(review.period)"),
            "subtitle": Rows.reviewFacts(review, r), "css": OverviewPage.css, "sections": sections,
            "nav": DetailPages.nav(r, viewer.principal, csrf: viewer.csrf),
            "footer": r("generated \(r.time(generatedAt))"),
        ]
        return OverviewPage.library.render(model, withTemplate: "page") ?? ""
    }
}

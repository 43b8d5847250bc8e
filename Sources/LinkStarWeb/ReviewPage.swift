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

    /// The page; without a viewer (`review show --format html`) it is a self-contained file with no forms and no links.
    public static func render(_ pack: ReviewPack, _ r: Reader, viewer: Viewer?, message: String?, generatedAt: Date) -> String {
        let review = pack.review
        let open = review.status == .open
        let links: Links = viewer == nil ? .none : .served
        let allowed = { (operation: WriteOperation) in open && (viewer?.principal.role.allows(operation.requiredRole) ?? false) }
        let canCheck = allowed(.reviewCheck), canClose = allowed(.reviewClose), canNote = allowed(.reviewNote)
        let csrf = viewer?.csrf ?? ""
        var sections: [[String: Any]] = []
        let items: [[String: Any]] = review.items.map { item in
            var entry: [String: Any] = ["box": item.checked ? "[x]" : "[ ]", "position": item.position, "text": r.item(item),
                                        "checked": item.checked, "by": item.checkedBy.map { "\($0) \(item.checkedAt.map(r.time) ?? "")" } ?? false,
                                        "note": item.note ?? false, "optionalLabel": item.optional ? r("(optional)") : false]
            if canCheck {
                entry["form"] = item.checked
                    ? ["action": "/reviews/\(review.id)/items/\(item.position)/uncheck", "label": r("Uncheck"), "csrf": csrf, "notePlaceholder": false]
                    : ["action": "/reviews/\(review.id)/items/\(item.position)/check", "label": r("Check"), "csrf": csrf,
                       "notePlaceholder": r("What was found or done.")]
            } else {
                entry["form"] = false
            }
            return entry
        }
        var checklist: [String: Any] = ["kind": "checklist", "heading": r("Checklist"), "items": items,
                                        "message": message ?? false]
        checklist["closeForm"] = canClose ? ["action": "/reviews/\(review.id)/close", "label": r("Close the review (sign-off)"), "csrf": csrf] : false
        sections.append(checklist)
        sections.append(["kind": "kpis", "heading": r("KPIs"), "table": OverviewPage.kpiTable(pack.kpis, r, links: links)])
        sections.append(OverviewPage.funnelSection(pack.funnel, r, links: links))
        sections.append(["kind": "actions", "heading": r("Actions"),
                         "table": OverviewPage.table(Rows.reviewActionHeaders, Rows.reviewActions(pack.actions, r), r,
                                                     links: Rows.reviewActionEntries(pack.actions).map { [1: links.action($0.action.id)] })])
        func notes(_ kind: String, _ heading: Message, _ list: [ReviewNote], placeholder: Message, label: Message) -> [String: Any] {
            ["kind": kind + "s", "heading": r(heading), "lines": list.map { "\($0.text) — \($0.author)" },
             "noteForm": canNote ? ["action": "/reviews/\(review.id)/notes", "kind": kind, "csrf": csrf,
                                    "placeholder": r(placeholder), "label": r(label)] as [String: Any] : false]
        }
        sections.append(notes("finding", "Findings", review.findings, placeholder: "What the numbers show, and why.", label: "Add finding"))
        sections.append(notes("decision", "Decisions", review.decisions, placeholder: "What the team will do, who, by when.", label: "Add decision"))
        let model: [String: Any] = [
            "lang": r.language == .zh ? "zh-CN" : "en", "title": r("复盘 REVIEW #\(review.id): \(r.scope(review.scope)) \(review.period)"),
            "subtitle": Rows.reviewFacts(review, r), "css": OverviewPage.css, "sections": sections,
            "nav": viewer.map { DetailPages.nav(r, $0.principal, csrf: $0.csrf) } ?? false,
            "footer": r("generated \(r.time(generatedAt))"),
        ]
        return OverviewPage.library.render(model, withTemplate: "page") ?? ""
    }
}


/// How often a layer's review (复盘) happens.
public enum ReviewCadence: String, CaseIterable, Codable, Sendable {
    case weekly, biweekly, monthly, quarterly
}

/// One task-list item of a playbook's `## Review checklist`.
public struct ChecklistItem: Hashable, Sendable, Codable {
    /// 1-based position in the checklist.
    public var position: Int
    /// The item's text, without the `(optional)` marker.
    public var text: String
    /// Optional items do not block closing a review.
    public var optional: Bool
    /// The line in the playbook file.
    public var line: Int

    public init(position: Int, text: String, optional: Bool, line: Int) {
        self.position = position
        self.text = text
        self.optional = optional
        self.line = line
    }
}

/// A parsed SOP playbook: front matter, Markdown body and review checklist.
public struct PlaybookDocument: Hashable, Sendable {
    public var layer: LayerKey
    public var title: String
    public var cadence: ReviewCadence
    /// `monday`…`sunday` for weekly/biweekly cadences, `1`…`28` for monthly/quarterly ones.
    public var reviewDay: String?
    /// The whole file, normalised (no BOM, LF line endings).
    public var content: String
    /// The Markdown after the front matter.
    public var body: String
    public var checklist: [ChecklistItem]

    /// SHA-256 of the normalised content, hex (set by the parser).
    public var contentHash: String

    public init(layer: LayerKey, title: String, cadence: ReviewCadence, reviewDay: String?, content: String, body: String,
                checklist: [ChecklistItem], contentHash: String) {
        self.layer = layer
        self.title = title
        self.cadence = cadence
        self.reviewDay = reviewDay
        self.content = content
        self.body = body
        self.checklist = checklist
        self.contentHash = contentHash
    }
}

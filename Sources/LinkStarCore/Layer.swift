/// One of the five funnel layers, top to bottom.
public enum LayerKey: String, CaseIterable, Codable, Sendable, Comparable {
    case traffic, landing, conversion, retention, feedback

    /// Position in the funnel, 1 = top.
    public var position: Int { Self.allCases.firstIndex(of: self)! + 1 }

    public static func < (lhs: LayerKey, rhs: LayerKey) -> Bool { lhs.position < rhs.position }

    /// Parses a layer key, accepting the English key, English name or Chinese name (`流量层`, `流量`).
    public static func parse(_ text: String, field: String = "layer") throws -> LayerKey {
        try Segment.refuseInvisible(text, field: field)
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let key = LayerKey(rawValue: trimmed.lowercased()) { return key }
        for definition in LayerDefinition.all {
            if trimmed == definition.nameZH || trimmed + "层" == definition.nameZH
                || trimmed.lowercased() == definition.nameEN.lowercased() {
                return definition.key
            }
        }
        throw LinkStarError.unknown("layer", text, field: field, among: LayerKey.allCases.map(\.rawValue))
    }
}

/// The seeded definition of a layer: names in English and Chinese and what it covers.
public struct LayerDefinition: Sendable, Equatable {
    public var key: LayerKey
    public var nameEN: String
    public var nameZH: String
    public var covers: String

    /// The five layers as seeded by `init`.
    public static let all: [LayerDefinition] = [
        LayerDefinition(key: .traffic, nameEN: "Traffic", nameZH: "流量层",
                        covers: "Where visitors come from: ads, SEO, social, email"),
        LayerDefinition(key: .landing, nameEN: "Landing", nameZH: "承接层",
                        covers: "Landing page, navigation, search match"),
        LayerDefinition(key: .conversion, nameEN: "Conversion", nameZH: "转化层",
                        covers: "Add to cart, checkout, payment"),
        LayerDefinition(key: .retention, nameEN: "Retention", nameZH: "留存层",
                        covers: "After-sales, membership, email/CRM"),
        LayerDefinition(key: .feedback, nameEN: "Feedback", nameZH: "反哺层",
                        covers: "Data collection, attribution, strategy tuning"),
    ]

    public static func of(_ key: LayerKey) -> LayerDefinition { all[key.position - 1] }
}

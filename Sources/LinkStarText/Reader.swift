import Foundation
import LinkStarCore
import LinkStarStore

/// Who reads a rendering: their language and the workspace's time zone. Every adapter renders through one.
public struct Reader: Sendable, Equatable {
    public var language: Language
    public var timeZone: TimeZone

    public init(language: Language = .en, timeZone: TimeZone = TimeZone(identifier: "UTC")!) {
        self.language = language
        self.timeZone = timeZone
    }

    /// A message in the reader's language.
    public func callAsFunction(_ message: Message) -> String { message.text(language) }

    /// A value's name (a status, a verdict, a role) in the reader's language.
    public func callAsFunction(_ value: some Localizable) -> String { value.label.text(language) }

    /// A metric as the reader reads it: its key in English, a built-in metric's Chinese name in Chinese.
    public func metric(_ key: String) -> String { Catalog.metricName(key, language) }

    /// A funnel step, `sessions → product_views` / `会话 → 商品浏览`.
    public func step(_ from: String, _ to: String) -> String { metric(from) + " → " + metric(to) }

    /// A stored time in the workspace's time zone.
    public func time(_ date: Date) -> String { DisplayTime.format(date, in: timeZone) }

    /// A review item's text: a playbook item as its author wrote it; a generated item (stored in English) translated.
    public func item(_ item: ReviewItem) -> String {
        item.source == .playbook ? item.text : Message(stored: item.text).text(language)
    }

    /// A review scope: a layer's name or the funnel.
    public func scope(_ scope: ReviewScope) -> String {
        switch scope {
        case .layer(let key): self(key)
        case .funnel: self("funnel")
        }
    }

    /// A change in percentage points: `+1.25pp` / `+1.25个百分点`.
    public func percentPoints(_ value: Double) -> String {
        self("\(String(format: "%+.2f", value)) pp")
    }

    /// Nobody owns it.
    public var unowned: String { self("(unowned)") }
}

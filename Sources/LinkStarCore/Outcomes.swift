/// What a write did to one thing (encoded as the same snake_case strings in JSON).
public enum WriteOutcome: String, Codable, Sendable, CaseIterable {
    /// It did not exist and now does.
    case created
    /// It existed and changed.
    case updated
    /// Nothing changed: nothing was written.
    case unchanged
}

/// What an import did.
public enum ImportOutcome: String, Codable, Sendable, CaseIterable {
    /// New or changed values were stored.
    case imported
    /// Every value was already stored: nothing was written.
    case unchanged
    /// Validated only: nothing was written.
    case dryRun = "dry-run"
}

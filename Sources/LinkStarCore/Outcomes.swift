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

/// Where a KPI's effective owner comes from.
public enum OwnerSource: String, Codable, Sendable, CaseIterable {
    /// Set on the KPI itself.
    case kpi
    /// Inherited from the layer owner.
    case layer
}

/// Why an action was measured.
public enum EvaluationPurpose: String, Codable, Sendable, CaseIterable {
    /// The verdict after the run.
    case evaluation
    /// A follow-up checkpoint that looks for decay.
    case followup
}

/// Where a review checklist item comes from: the playbook, or what the tool added it for.
public enum ReviewItemSource: String, Codable, Sendable, CaseIterable {
    case playbook, kpi, action, followup, data, owner
}

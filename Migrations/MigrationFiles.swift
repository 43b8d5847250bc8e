/// The numbered SQL migrations in `Migrations/`, in the order they apply.
///
/// Each file is listed by name: add a new one here and in Package.swift.
/// A test checks this list against the folder.
public enum MigrationFiles {
    /// (identifier, SQL) pairs, oldest first.
    public static let all: [(name: String, sql: String)] = [
        ("0001_init", String(decoding: PackageResources._001_init_sql, as: UTF8.self)),
        ("0002_actions", String(decoding: PackageResources._002_actions_sql, as: UTF8.self)),
        ("0003_reviews", String(decoding: PackageResources._003_reviews_sql, as: UTF8.self)),
        ("0004_tokens", String(decoding: PackageResources._004_tokens_sql, as: UTF8.self)),
        ("0005_true_numbers", String(decoding: PackageResources._005_true_numbers_sql, as: UTF8.self)),
        ("0006_accountability", String(decoding: PackageResources._006_accountability_sql, as: UTF8.self)),
        ("0007_web_sessions", String(decoding: PackageResources._007_web_sessions_sql, as: UTF8.self)),
        ("0008_series_span", String(decoding: PackageResources._008_series_span_sql, as: UTF8.self)),
        ("0009_notifications", String(decoding: PackageResources._009_notifications_sql, as: UTF8.self)),
        ("0010_outbox", String(decoding: PackageResources._010_outbox_sql, as: UTF8.self)),
        ("0011_cell_rollup", String(decoding: PackageResources._011_cell_rollup_sql, as: UTF8.self)),
        ("0012_cell_day", String(decoding: PackageResources._012_cell_day_sql, as: UTF8.self)),
        ("0013_reference_version", String(decoding: PackageResources._013_reference_version_sql, as: UTF8.self)),
        ("0014_cell_day_version", String(decoding: PackageResources._014_cell_day_version_sql, as: UTF8.self)),
        ("0015_credential_version", String(decoding: PackageResources._015_credential_version_sql, as: UTF8.self)),
    ]
}

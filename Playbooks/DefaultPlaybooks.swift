/// The default SOP playbooks shipped in `Playbooks/`, written out by `linkstar init`.
public enum DefaultPlaybooks {
    /// (file name, Markdown) pairs, top of the funnel first.
    public static let all: [(fileName: String, markdown: String)] = [
        ("traffic.md", String(decoding: PackageResources.traffic_md, as: UTF8.self)),
        ("landing.md", String(decoding: PackageResources.landing_md, as: UTF8.self)),
        ("conversion.md", String(decoding: PackageResources.conversion_md, as: UTF8.self)),
        ("retention.md", String(decoding: PackageResources.retention_md, as: UTF8.self)),
        ("feedback.md", String(decoding: PackageResources.feedback_md, as: UTF8.self)),
    ]
}

/// The default SOP playbooks shipped in `Playbooks/`, written out by `linkstar init`: English (`traffic.md`)
/// and Chinese (`traffic.zh.md`, written for a Chinese team), the same structure and checklist rules.
public enum DefaultPlaybooks {
    /// (file name, Markdown) pairs in English, top of the funnel first.
    public static let all: [(fileName: String, markdown: String)] = [
        ("traffic.md", String(decoding: PackageResources.traffic_md, as: UTF8.self)),
        ("landing.md", String(decoding: PackageResources.landing_md, as: UTF8.self)),
        ("conversion.md", String(decoding: PackageResources.conversion_md, as: UTF8.self)),
        ("retention.md", String(decoding: PackageResources.retention_md, as: UTF8.self)),
        ("feedback.md", String(decoding: PackageResources.feedback_md, as: UTF8.self)),
    ]

    /// The same five in Chinese, under the same file names a workspace uses (`traffic.md` …).
    public static let chinese: [(fileName: String, markdown: String)] = [
        ("traffic.md", String(decoding: PackageResources.traffic_zh_md, as: UTF8.self)),
        ("landing.md", String(decoding: PackageResources.landing_zh_md, as: UTF8.self)),
        ("conversion.md", String(decoding: PackageResources.conversion_zh_md, as: UTF8.self)),
        ("retention.md", String(decoding: PackageResources.retention_zh_md, as: UTF8.self)),
        ("feedback.md", String(decoding: PackageResources.feedback_zh_md, as: UTF8.self)),
    ]
}

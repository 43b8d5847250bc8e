// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "LinkStar",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "linkstar", targets: ["linkstar"]),
        .executable(name: "linkstar-fuzz", targets: ["LinkStarFuzz"]),
        .library(name: "LinkStarCore", targets: ["LinkStarCore"]),
        .library(name: "LinkStarStore", targets: ["LinkStarStore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/JohnSundell/Ink", exact: "0.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", exact: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", exact: "2.13.0"),
    ],
    targets: [
        // Plain-SQL migrations, the schema's single source of truth, embedded in the binary.
        .target(
            name: "LinkStarMigrations",
            path: "Migrations",
            resources: [
                .embedInCode("0001_init.sql"),
                .embedInCode("0002_actions.sql"),
                .embedInCode("0003_reviews.sql"),
                .embedInCode("0004_tokens.sql"),
                .embedInCode("0005_true_numbers.sql"),
                .embedInCode("0006_accountability.sql"),
                .embedInCode("0007_web_sessions.sql"),
                .embedInCode("0008_series_span.sql"),
                .embedInCode("0009_notifications.sql"),
                .embedInCode("0010_outbox.sql"),
                .embedInCode("0011_cell_rollup.sql"),
                .embedInCode("0012_cell_day.sql"),
                .embedInCode("0013_reference_version.sql"),
                .embedInCode("0014_cell_day_version.sql"),
                .embedInCode("0015_credential_version.sql"),
            ]
        ),
        // Default SOP playbooks, embedded so `init` can write them out.
        .target(
            name: "LinkStarPlaybooks",
            path: "Playbooks",
            resources: [
                .embedInCode("traffic.md"),
                .embedInCode("landing.md"),
                .embedInCode("conversion.md"),
                .embedInCode("retention.md"),
                .embedInCode("feedback.md"),
                .embedInCode("traffic.zh.md"),
                .embedInCode("landing.zh.md"),
                .embedInCode("conversion.zh.md"),
                .embedInCode("retention.zh.md"),
                .embedInCode("feedback.zh.md"),
            ]
        ),
        // Pure domain: value types, rules, statistics, schedules. No I/O, no third-party frameworks.
        .target(name: "LinkStarCore"),
        // The formats people write, read with libraries: YAML front matter and mappings (Yams),
        // Markdown to HTML (Ink), content hashes (swift-crypto).
        .target(
            name: "LinkStarFormats",
            dependencies: [
                "LinkStarCore",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Ink", package: "Ink"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "LinkStarStore",
            dependencies: [
                "LinkStarCore",
                "LinkStarFormats",
                "LinkStarMigrations",
                "LinkStarPlaybooks",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // What people read, rendered once for every adapter: tables, review packs, values in the reader's language.
        .target(name: "LinkStarText", dependencies: ["LinkStarCore", "LinkStarStore"]),
        // The team's screen: HTML pages (Mustache templates, escaped by default) with SVG charts built in Swift.
        .target(
            name: "LinkStarWeb",
            dependencies: ["LinkStarCore", "LinkStarFormats", "LinkStarStore", "LinkStarText", .product(name: "Mustache", package: "swift-mustache"),
                           .product(name: "Hummingbird", package: "hummingbird")],
            resources: [.embedInCode("Templates/page.mustache"), .embedInCode("Templates/nav.mustache"), .embedInCode("Templates/signin.mustache"),
                        .embedInCode("Templates/page.css")]
        ),
        // Chat notifications: renders outbox messages, signs them per vendor, sends them (async-http-client).
        .target(
            name: "LinkStarNotify",
            dependencies: ["LinkStarCore", "LinkStarFormats", "LinkStarStore", "LinkStarText",
                           .product(name: "AsyncHTTPClient", package: "async-http-client"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                           .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "LinkStarHTTP",
            dependencies: [
                "LinkStarCore",
                "LinkStarFormats",
                "LinkStarStore",
                "LinkStarText",
                "LinkStarWeb",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.embedInCode("openapi.yaml")]
        ),
        .executableTarget(
            name: "linkstar",
            dependencies: [
                "LinkStarCore",
                "LinkStarFormats",
                "LinkStarStore",
                "LinkStarText",
                "LinkStarHTTP",
                "LinkStarWeb",
                "LinkStarNotify",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // Start-up (Benchmarks/startup.sh): export no symbols. With all 50,000 exported, every symbol lookup and
            // dladdr at start-up walked them. (The deployment build also links position-dependent: see README.)
            linkerSettings: [.unsafeFlags(["-Xlinker", "--no-export-dynamic"], .when(platforms: [.linux]))]
        ),
        // libFuzzer target for the parsers (Fuzz/run.sh); without -DFUZZING it replays input files.
        .executableTarget(name: "LinkStarFuzz", dependencies: ["LinkStarCore", "LinkStarFormats"], path: "Fuzz",
                          exclude: ["run.sh", "crashes"]),
        .testTarget(name: "LinkStarCoreTests", dependencies: ["LinkStarCore"]),
        .testTarget(
            name: "LinkStarNotifyTests",
            dependencies: ["linkstar", "LinkStarNotify", "LinkStarStore", "LinkStarText", "LinkStarFormats", "LinkStarCore",
                           .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HummingbirdTesting", package: "hummingbird"),
                           .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log"),
                           .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(name: "LinkStarTextTests", dependencies: ["LinkStarText", "LinkStarStore", "LinkStarCore"]),
        .testTarget(name: "LinkStarWebTests", dependencies: ["LinkStarWeb", "LinkStarText", "LinkStarStore", "LinkStarCore"]),
        .testTarget(name: "LinkStarFormatsTests", dependencies: ["LinkStarFormats", "LinkStarCore", "LinkStarPlaybooks"]),
        .testTarget(
            name: "LinkStarStoreTests",
            dependencies: ["LinkStarStore", "LinkStarCore", "LinkStarFormats", "LinkStarMigrations", "LinkStarPlaybooks", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "LinkStarCLITests",
            dependencies: [
                "linkstar", "LinkStarCore", "LinkStarStore", "LinkStarHTTP", "LinkStarFormats",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "LinkStarHTTPTests",
            dependencies: [
                "LinkStarHTTP", "LinkStarStore", "LinkStarCore", "LinkStarFormats", "LinkStarPlaybooks",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
    ]
)

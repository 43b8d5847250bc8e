import Foundation
import GRDB
import LinkStarCore
import LinkStarFormats
import Testing
@testable import LinkStarStore

@Suite("Import presets on realistic exports")
struct ImportPresetTests {
    @Test("Shopify: BOM, quoted thousands, - and — for empty, a Total row, the rate column not stored")
    func shopify() async throws {
        let database = try await Fixture.workspace()
        let summary = try Fixture.importFixture(database, "shopify-sessions.csv", overrides: ImportOverrides(market: "US"))
        #expect(summary.format == "shopify")
        #expect(summary.rowsRead == 5)
        #expect(summary.rowsSkipped == 1)
        #expect(summary.inserted == 14)
        #expect(try await Fixture.value(database, "sessions", "shopify/US/all", "2026-11-01")?.0 == 1234)
        #expect(try await Fixture.value(database, "add_to_cart", "shopify/US/all", "2026-11-03") == nil)
        #expect(try await Fixture.value(database, "checkouts", "shopify/US/all", "2026-11-04") == nil)
        #expect(try await Fixture.value(database, "orders", "shopify/US/all", "2026-11-04")?.0 == 33)
        #expect(summary.notes.contains { $0.description.contains("Conversion rate: not stored") })
    }

    @Test("Shopify, older headers with a device column")
    func shopifyLegacy() async throws {
        let database = try await Fixture.workspace()
        let summary = try Fixture.importFixture(database, "shopify-legacy.csv", overrides: ImportOverrides(market: "US"))
        #expect(summary.format == "shopify")
        #expect(summary.segments == ["shopify/US/desktop", "shopify/US/mobile"])
        #expect(try await Fixture.value(database, "add_to_cart", "shopify/US/mobile", "2026-10-01")?.0 == 61)
        #expect(try await Fixture.value(database, "orders", "shopify/US/desktop", "2026-10-02")?.0 == 17)
    }

    @Test("GA4: # comment block, YYYYMMDD, Grand total row, bounced sessions derived from the bounce rate")
    func ga4() async throws {
        let database = try await Fixture.workspace()
        let summary = try Fixture.importFixture(database, "ga4-report.csv", overrides: ImportOverrides(market: "US"))
        #expect(summary.format == "ga4")
        #expect(summary.rowsSkipped == 1)
        #expect(summary.firstDay?.description == "2026-11-01")
        #expect(try await Fixture.value(database, "sessions", "shopify/US/all", "2026-11-02")?.0 == 1500)
        // round(0.3667 × 1500) = 550
        #expect(try await Fixture.value(database, "bounced_sessions", "shopify/US/all", "2026-11-02")?.0 == 550)
        let revenue = try await Fixture.value(database, "revenue", "shopify/US/all", "2026-11-01")
        #expect(revenue?.0 == 3350.25)
        #expect(revenue?.1 == "USD")
    }

    @Test("Amazon Business Report: quoted cells, $ amounts, MM/DD/YYYY, -- for empty, units ignored")
    func amazonBusiness() async throws {
        let database = try await Fixture.workspace()
        let summary = try Fixture.importFixture(database, "amazon-business-report.csv", overrides: ImportOverrides(market: "US"))
        #expect(summary.format == "amazon-business")
        #expect(try await Fixture.value(database, "sessions", "amazon/US/all", "2026-11-01")?.0 == 3845)
        #expect(try await Fixture.value(database, "orders", "amazon/US/all", "2026-11-02")?.0 == 122)
        let revenue = try await Fixture.value(database, "revenue", "amazon/US/all", "2026-11-01")
        #expect(revenue?.0 == 4512.30)
        #expect(revenue?.1 == "USD")
        #expect(try await Fixture.value(database, "refunds", "amazon/US/all", "2026-11-03") == nil)
        #expect(summary.notes.contains { $0.description.hasPrefix("ignored Units Ordered") })
    }

    @Test("Amazon Sponsored Products: trailing-space headers, month-name dates, campaign rows summed per day")
    func amazonAds() async throws {
        let database = try await Fixture.workspace()
        let summary = try Fixture.importFixture(database, "amazon-sponsored-products.csv", overrides: ImportOverrides(market: "US"))
        #expect(summary.format == "amazon-ads")
        #expect(try await Fixture.value(database, "impressions", "amazon/US/all", "2026-11-01")?.0 == 20570)
        #expect(try await Fixture.value(database, "clicks", "amazon/US/all", "2026-11-02")?.0 == 305)
        let spend = try await Fixture.value(database, "ad_spend", "amazon/US/all", "2026-11-01")
        #expect(abs((spend?.0 ?? 0) - 182.73) < 1e-9)
        #expect(spend?.1 == "USD")
        // Attributed sales and orders go to ad_sales / ad_orders, never to store revenue / orders.
        let sales = try await Fixture.value(database, "ad_sales", "amazon/US/all", "2026-11-01")
        #expect(abs((sales?.0 ?? 0) - (612.40 + 540.10)) < 1e-9)
        #expect(sales?.1 == "USD")
        #expect(try await Fixture.value(database, "ad_orders", "amazon/US/all", "2026-11-02")?.0 == 29)
        #expect(try await Fixture.value(database, "revenue", "amazon/US/all", "2026-11-01") == nil)
        #expect(try await Fixture.value(database, "orders", "amazon/US/all", "2026-11-01") == nil)
        // roas, acos, cpc and cpa equal the file's own totals: attributed sales 2,105.75, spend 352.52, 632 clicks, 65 orders.
        let sp = try Segment(parsing: "amazon/US/*")
        for metric in ["roas", "acos", "cpc", "cpa"] {
            _ = try await database.setKPI(KPISpec(metric: metric, segment: sp, target: 1, currency: metric.hasPrefix("cp") ? "USD" : nil), actor: "a")
        }
        let statuses = try await database.kpiStatus(period: try DayRange(parsing: "2026-11-01..2026-11-02"))
        func current(_ metric: String) -> Double? { statuses.first { $0.metric == metric }?.current }
        #expect(abs(current("roas")! - 2105.75 / 352.52) < 1e-12)
        #expect(abs(current("acos")! - 352.52 / 2105.75) < 1e-12)
        #expect(abs(current("cpc")! - 352.52 / 632) < 1e-12)
        #expect(abs(current("cpa")! - 352.52 / 65) < 1e-12)
        #expect(statuses.first { $0.metric == "roas" }?.coverage == 1)
    }

    @Test("Shopee Ads: ad rows summed per day; GMV and Orders are attributed (ad_sales, ad_orders); roas = the file's GMV / Expense")
    func shopeeAds() async throws {
        let database = try await Fixture.workspace()
        let summary = try Fixture.importFixture(database, "shopee-ads.csv", overrides: ImportOverrides(market: "MY"))
        #expect(summary.format == "shopee-ads")
        #expect(try await Fixture.value(database, "impressions", "shopee/MY/all", "2026-11-01")?.0 == 20_500)
        let sales = try await Fixture.value(database, "ad_sales", "shopee/MY/all", "2026-11-01")
        #expect(sales?.0 == 1_998 && sales?.1 == "MYR")
        #expect(try await Fixture.value(database, "revenue", "shopee/MY/all", "2026-11-01") == nil)
        // The file's totals: GMV 1,530 + 468 + 1,260 + 0 = 3,258; Expense 180 + 95.50 + 171 + 99 = 545.50.
        _ = try await database.setKPI(KPISpec(metric: "roas", segment: try Segment(parsing: "shopee/MY/*"), target: 5), actor: "a")
        let roas = try #require(try await database.kpiStatus(period: try DayRange(parsing: "2026-11-01..2026-11-02")).first)
        #expect(abs(roas.current! - 3_258 / 545.5) < 1e-12)
    }

    @Test("Shopee: DD-MM-YYYY, RM amounts, (MYR) header suffix")
    func shopee() async throws {
        let database = try await Fixture.workspace()
        let summary = try Fixture.importFixture(database, "shopee-product-performance.csv", overrides: ImportOverrides(market: "MY"))
        #expect(summary.format == "shopee")
        // Product Visitors (Visit) are sessions with a product view (a stage); Product Page Views are page views (not a stage).
        #expect(try await Fixture.value(database, "product_views", "shopee/MY/all", "2026-11-02")?.0 == 2455)
        #expect(try await Fixture.value(database, "sessions", "shopee/MY/all", "2026-11-02") == nil)
        #expect(try await Fixture.value(database, "page_views", "shopee/MY/all", "2026-11-01")?.0 == 4870)
        let revenue = try await Fixture.value(database, "revenue", "shopee/MY/all", "2026-11-01")
        #expect(revenue?.0 == 6205.40)
        #expect(revenue?.1 == "MYR")
        #expect(try await Fixture.value(database, "add_to_cart", "shopee/MY/all", "2026-11-03") == nil)
    }

    @Test("Shopee with the seller centre in Chinese: 日期 (YYYY-MM-DD), 访客数, 销售额（已下单） (RM) → revenue in MYR")
    func shopeeChinese() async throws {
        let database = try await Fixture.workspace()
        let summary = try Fixture.importFixture(database, "shopee-chinese.csv", format: "shopee", overrides: ImportOverrides(market: "MY"))
        #expect(summary.rowsImported == 2)
        #expect(try await Fixture.value(database, "sessions", "shopee/MY/all", "2026-11-01")?.0 == 1204)
        #expect(try await Fixture.value(database, "page_views", "shopee/MY/all", "2026-11-02")?.0 == 3322)
        #expect(try await Fixture.value(database, "add_to_cart", "shopee/MY/all", "2026-11-02")?.0 == 101)
        #expect(try await Fixture.value(database, "orders", "shopee/MY/all", "2026-11-01")?.0 == 31)
        #expect(try await Fixture.value(database, "customers", "shopee/MY/all", "2026-11-02")?.0 == 34)
        let revenue = try await Fixture.value(database, "revenue", "shopee/MY/all", "2026-11-02")
        #expect(revenue?.0 == 1688.00)
        #expect(revenue?.1 == "MYR")
        // Auto-detection picks the preset from the Chinese header too.
        let detected = try Fixture.importFixture(try await Fixture.workspace(), "shopee-chinese.csv", overrides: ImportOverrides(market: "MY"))
        #expect(detected.format == "shopee")
    }

    @Test("currency suffixes: any known currency code, a symbol that names one currency, full-width parentheses")
    func currencySuffixes() {
        #expect(HeaderName.currencySuffix("Sales (PHP)") == "PHP")
        #expect(HeaderName.currencySuffix("销售额 (RM)") == "MYR")
        #expect(HeaderName.currencySuffix("销售额（S$）") == "SGD")
        #expect(HeaderName.currencySuffix("Revenue (rmb)") == "CNY")
        #expect(HeaderName.currencySuffix("Sales ($)") == nil)
        #expect(HeaderName.currencySuffix("Sessions (Visit)") == nil)
        #expect(HeaderName.currencySuffix("Buyers (New)") == nil)
        #expect(HeaderName.normalise("销售额（已下单） (RM)") == HeaderName.normalise("销售额（已下单）"))
    }

    @Test("Lazada: DD/MM/YYYY and a period-summary first row that is skipped")
    func lazada() async throws {
        let database = try await Fixture.workspace()
        let summary = try Fixture.importFixture(database, "lazada-business-advisor.csv", overrides: ImportOverrides(market: "MY"))
        #expect(summary.format == "lazada")
        #expect(summary.rowsSkipped == 1)
        #expect(summary.firstDay?.description == "2026-11-01")
        #expect(try await Fixture.value(database, "add_to_cart", "lazada/MY/all", "2026-11-02")?.0 == 175)
        #expect(try await Fixture.value(database, "revenue", "lazada/MY/all", "2026-11-03")?.1 == "MYR")
    }

    @Test("Klaviyo: campaign rows summed per send day; attributed orders and revenue not imported")
    func klaviyo() async throws {
        let database = try await Fixture.workspace()
        let summary = try Fixture.importFixture(database, "klaviyo-campaigns.csv", overrides: ImportOverrides(market: "US"))
        #expect(summary.format == "klaviyo")
        #expect(summary.metrics == ["email_clicks", "email_sends"])
        #expect(try await Fixture.value(database, "email_sends", "email/US/all", "2026-11-20")?.0 == 15690)
        #expect(try await Fixture.value(database, "email_clicks", "email/US/all", "2026-11-22")?.0 == 455)
    }

    @Test("long and wide files; a ratio row in a long file is not stored")
    func genericFormats() async throws {
        let database = try await Fixture.workspace()
        let long = try Fixture.importFixture(database, "long-basic.csv")
        #expect(long.format == "long")
        #expect(long.inserted == 6)
        #expect(long.notes.contains { $0.description.contains("rates are recomputed") })
        #expect(try await Fixture.value(database, "revenue", "tiktok/SG/app", "2026-11-01")?.0 == 1620)
        let wide = try Fixture.importFixture(database, "wide-basic.csv")
        #expect(wide.format == "wide")
        #expect(try await Fixture.value(database, "checkouts", "shopify/US/desktop", "2026-11-01")?.0 == 70)
    }

    @Test("a user mapping for an unknown export")
    func customMapping() async throws {
        let database = try await Fixture.workspace()
        let yaml = try String(contentsOf: Fixture.fixtures.appendingPathComponent("custom-mapping.yml"), encoding: .utf8)
        let mapping = try ImportMapping.parse(yaml: yaml, file: "custom-mapping.yml")
        let summary = try Fixture.importFixture(database, "custom-export.txt", mapping: mapping)
        #expect(summary.format == "bi-daily")
        #expect(try await Fixture.value(database, "revenue", "tiktok/TH/all", "2026-11-25")?.0 == 151300)
        #expect(try await Fixture.value(database, "revenue", "tiktok/TH/all", "2026-11-25")?.1 == "THB")
    }
}

@Suite("Import rules")
struct ImportRuleTests {
    /// Bytes read in chunks, not known to be in memory: hashed while they are read.
    final class StreamedBytes: ByteSource {
        private let inner: MemoryByteSource
        init(_ text: String) { inner = MemoryByteSource(text) }
        func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
            try inner.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<min(buffer.count, 7)]))
        }
    }

    @Test("a batch in memory is inserted with its content hash, never set again; a streamed one gets it at the end; both the same hash")
    func batchHashWrittenOnce() async throws {
        let database = try await Fixture.workspace()
        // Given triggers on the writer's connection that note each batch inserted and each setting of a batch's hash.
        try await database.writer.write { db in
            try db.execute(sql: """
                CREATE TEMP TABLE batch_writes (kind TEXT NOT NULL, id INTEGER, hashed INTEGER);
                CREATE TEMP TRIGGER batch_inserted AFTER INSERT ON import_batch
                BEGIN INSERT INTO batch_writes VALUES ('insert', NEW.id, NEW.content_hash IS NOT NULL); END;
                CREATE TEMP TRIGGER batch_hash_set AFTER UPDATE OF content_hash ON import_batch
                BEGIN INSERT INTO batch_writes VALUES ('hash set', NEW.id, NEW.content_hash IS NOT NULL); END;
                """)
        }
        func writes() async throws -> [String] {
            try await database.writer.read { db in
                try Row.fetchAll(db, sql: "SELECT kind, hashed FROM batch_writes").map { "\($0[0] as String) \($0[1] as Bool)" }
            }
        }
        // When a batch in memory is imported, then the same again (unchanged, rolled back): one insert, with its hash.
        let text = longCSV([("2026-11-01", "shopee/MY/mobile", "orders", 5, "")])
        let first = try Fixture.importText(database, text, name: "a.csv")
        let again = try Fixture.importText(database, text, name: "a.csv")
        #expect(again.outcome == .unchanged && again.previousImportId == first.importId && again.contentHash == first.contentHash)
        #expect(try await writes() == ["insert true"])
        // When other bytes are streamed: inserted without a hash, which is set once at the end.
        let other = longCSV([("2026-11-01", "shopee/MY/mobile", "orders", 7, "")])
        let streamed = try database.importObservations(from: StreamedBytes(other), request: ImportRequest(fileName: "b.csv"), actor: "tester")
        #expect(try await writes() == ["insert true", "insert false", "hash set true"])
        // Then both ways give the same hash for the same bytes: the streamed ones again, from memory, are unchanged.
        let inMemory = try Fixture.importText(database, other, name: "b.csv")
        #expect(inMemory.outcome == .unchanged && inMemory.contentHash == streamed.contentHash && inMemory.previousImportId == streamed.importId)
        #expect(streamed.contentHash == ContentHash.sha256Hex(Array(other.utf8)))
    }

    @Test("a file with one bad cell is rejected with line and column, and nothing is written")
    func badCell() async throws {
        let database = try await Fixture.workspace()
        let before = try await Fixture.dump(database)
        let error = #expect(throws: LinkStarError.self) { try Fixture.importFixture(database, "long-bad-cell.csv") }
        let detail = try #require(error?.details.first)
        #expect(detail.file == "long-bad-cell.csv")
        #expect(detail.line == 3)
        #expect(detail.column == 6)
        #expect(detail.message.contains("'3x6' is not a number"))
        #expect(try await Fixture.dump(database) == before)
    }

    @Test("--skip-invalid imports the valid rows and hands over the rejected ones")
    func skipInvalid() async throws {
        let database = try await Fixture.workspace()
        nonisolated(unsafe) var rejected: [(Int, String)] = []
        let summary = try Fixture.importFixture(database, "long-bad-cell.csv", skipInvalid: true, callbacks: ImportCallbacks(
            rejected: { _, record, problems in rejected.append((record.line, problems[0].message)) }))
        #expect(summary.outcome.rawValue == "imported")
        #expect(summary.inserted == 2)
        #expect(summary.rowsRejected == 1)
        #expect(rejected.count == 1)
        #expect(rejected.first?.0 == 3)
    }

    @Test("importing the same file twice leaves the database unchanged; a changed value is an update")
    func idempotent() async throws {
        let database = try await Fixture.workspace()
        let first = try Fixture.importFixture(database, "amazon-business-report.csv", overrides: ImportOverrides(market: "US"))
        #expect(first.outcome.rawValue == "imported")
        let after = try await Fixture.dump(database)
        let second = try Fixture.importFixture(database, "amazon-business-report.csv", overrides: ImportOverrides(market: "US"))
        #expect(second.outcome.rawValue == "unchanged")
        #expect(second.inserted == 0 && second.updated == 0 && second.unchanged == first.inserted)
        #expect(second.previousImportId == first.importId)
        #expect(try await Fixture.dump(database) == after)

        let changed = try Fixture.importText(database, "date,channel,market,device,metric,value\n2026-11-01,amazon,US,all,sessions,3900\n2026-11-01,amazon,US,all,orders,140\n")
        #expect(changed.updated == 1)
        #expect(changed.unchanged == 1)
        #expect(try await Fixture.value(database, "sessions", "amazon/US/all", "2026-11-01")?.0 == 3900)
        #expect(try await database.imports().count == 2)
    }

    @Test("a dry run counts but writes nothing")
    func dryRun() async throws {
        let database = try await Fixture.workspace()
        let before = try await Fixture.dump(database)
        let summary = try Fixture.importFixture(database, "wide-basic.csv", dryRun: true)
        #expect(summary.outcome.rawValue == "dry-run")
        #expect(summary.inserted == 12)
        #expect(try await Fixture.dump(database) == before)
    }

    @Test("the same key twice in one file is rejected")
    func duplicateKey() async throws {
        let database = try await Fixture.workspace()
        let error = #expect(throws: LinkStarError.self) {
            try Fixture.importText(database, "date,channel,market,device,metric,value\n2026-11-01,amazon,US,all,sessions,10\n2026-11-01,amazon,US,all,sessions,12\n")
        }
        #expect(error?.details.first?.line == 3)
        #expect(error?.details.first?.message.contains("earlier in this file") == true)
    }

    @Test("problems name line and column", arguments: [
        ("2026-13-01,amazon,US,all,sessions,10,", 1, "not a date"),
        ("2026-11-01,amazon,USA1,all,sessions,10,", 3, "market"),
        ("2026-11-01,amazon,US,all,sesions,10,", 5, "did you mean 'sessions'"),
        ("2026-11-01,amazon,US,all,sessions,-4,", 6, "cannot be negative"),
        ("2026-11-01,amazon,US,all,sessions,12.5,", 6, "whole number"),
        ("2026-11-01,amazon,US,all,sessions,4%,", 6, "percentage"),
        ("2026-11-01,amazon,ZZ,all,revenue,12.00,", 6, "no currency"),
        ("2026-11-01,amazon,US,all,revenue,RM12.00,USD", 6, "MYR"),
        ("2026-11-01,amazon,US,all,sessions,10", 7, "the row has 6 fields; the header has 7"),
        ("2026-11-01,amazon,US,all,sessions,1,2,3", 8, "the row has 8 fields"),
        ("2026-11-01,amazon,US,all,sessions,\"5,0\",", 6, "ambiguous"),
        ("2026-11-01,amazon,US,all,sessions,1e308,", 6, "beyond the largest count"),
        ("2026-11-01,amazon,US,all,sessions,NaN,", 6, "not a number"),
        ("2026-11-01,amazon,US,all,sessions,1e-400,", 6, "too small"),
        ("2026-11-01,amazon,US,all,sessions,99999999999999999999999999999,", 6, "beyond the largest count"),
        ("-2026-01-01,amazon,US,all,sessions,1,", 1, "not a date"),
        ("2026-11-01T25:00:00,amazon,US,all,sessions,1,", 1, "not a date"),
        ("9999-12-31,amazon,US,all,sessions,1,", 1, "outside the supported dates"),
        ("2026-11-01\u{200B},amazon,US,all,sessions,1,", 1, "not a date"),
        ("2026-11-01,amazon\u{200B},US,all,sessions,1,", 2, "channel"),
        ("2026-11-01,amazon,US,all,sessions\u{200B},1,", 5, "sessions<U+200B>"),
    ])
    func located(_ row: String, _ column: Int, _ fragment: String) async throws {
        let database = try await Fixture.workspace()
        let error = #expect(throws: LinkStarError.self) {
            try Fixture.importText(database, "date,channel,market,device,metric,value,currency\n" + row + "\n")
        }
        let detail = try #require(error?.details.first)
        #expect(detail.line == 2)
        #expect(detail.column == column, "\(detail)")
        #expect(detail.message.contains(fragment), "\(detail.message)")
    }

    @Test("the market's currency applies when the file does not say; symbols must agree")
    func marketCurrency() async throws {
        let database = try await Fixture.workspace()
        _ = try Fixture.importText(database, "date,channel,market,device,metric,value\n2026-11-01,shopee,MY,mobile,revenue,RM1.234\n")
        #expect(try await Fixture.value(database, "revenue", "shopee/MY/mobile", "2026-11-01")?.1 == "MYR")
    }

    @Test("an import is recorded with its hash and counts, and audited once")
    func recorded() async throws {
        let database = try await Fixture.workspace()
        let audits = try await database.auditEntryCount()
        let summary = try Fixture.importFixture(database, "wide-basic.csv")
        let batch = try #require(try await database.imports().first)
        #expect(batch.id == summary.importId)
        #expect(batch.contentHash == summary.contentHash)
        #expect(batch.inserted == 12)
        #expect(batch.actor == "importer")
        #expect(try await database.auditEntryCount() == audits + 1)
    }

    @Test("a file read in 1, 2, 7 and 64-byte chunks gives the same records (bounded memory is tested through the binary)")
    func chunking() throws {
        let text = try String(contentsOf: Fixture.fixtures.appendingPathComponent("amazon-sponsored-products.csv"), encoding: .utf8)
        let whole = try CSVTokenizer.parse(text)
        for size in [1, 2, 7, 64] {
            #expect(try CSVTokenizer.parse(text, chunkSize: size) == whole, "chunk \(size)")
        }
    }
}

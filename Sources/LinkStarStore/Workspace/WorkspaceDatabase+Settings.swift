import Foundation
import GRDB
import LinkStarCore

/// A row of `fx_rate`.
struct FXRateRecord: SnakeCaseRecord, Equatable {
    static let databaseTableName = "fx_rate"
    var reportingCurrency: String
    var currency: String
    var rate: Double
    var setBy: String
    var setAt: String
}

/// A row of `setting`.
struct SettingRecord: SnakeCaseRecord, Equatable {
    static let databaseTableName = "setting"
    var key: String
    var value: String
    var updatedBy: String
    var updatedAt: String
}

/// The reporting currency and the exchange rates into it.
public struct FXTable: Codable, Sendable, Equatable, NullPreservingEncodable {
    public struct Rate: Codable, Sendable, Equatable, NullPreservingEncodable {
        public var currency: String
        /// Units of the reporting currency per unit of `currency`.
        public var rate: Double
        public var setBy: String
        public var setAt: Date
    }
    public var reportingCurrency: String?
    public var rates: [Rate]

    /// Converts amounts by currency into the reporting currency; nil when a rate is missing.
    public func convert(_ amounts: [String: Double]) -> Double? {
        guard let reportingCurrency else { return nil }
        var total = 0.0
        for (currency, amount) in amounts {
            if currency == reportingCurrency { total += amount; continue }
            guard let rate = rates.first(where: { $0.currency == currency })?.rate else { return nil }
            total += amount * rate
        }
        return total
    }
}

extension WorkspaceDatabase {
    static let reportingCurrencyKey = "reporting_currency"
    static let staleAfterDaysKey = "stale_after_days"

    static func currencyCode(_ text: String, field: String) throws -> String {
        let code = text.trimmingCharacters(in: .whitespaces).uppercased()
        guard code.count == 3, code.allSatisfy({ $0.isASCII && $0.isLetter }) else {
            throw LinkStarError.invalidField(field, "\(Excerpt.quoted(text)) is not a 3-letter currency code")
        }
        return code
    }

    static let workspaceStartKey = "workspace_start"

    /// The day the team started with this workspace: no review period before it is ever due. Workspaces created
    /// before it was recorded start on the day of their first audit entry.
    func workspaceStart(_ db: Database) throws -> Day? {
        if let text = try setting(Self.workspaceStartKey, db) { return try? Day(parsing: text) }
        return try String.fetchOne(db, sql: "SELECT min(at) FROM audit_entry").flatMap { LinkStarJSON.parseTimestamp($0) }.map(Day.init)
    }

    /// The workspace's start day (see `workspaceStart`).
    public func workspaceStart() async throws -> Day? {
        try await writer.read { db in try self.workspaceStart(db) }
    }

    func setting(_ key: String, _ db: Database) throws -> String? {
        try SettingRecord.fetchOne(db, key: key)?.value
    }

    func writeSetting(_ key: String, _ value: String, actor: String, _ db: Database) throws -> Bool {
        let old = try SettingRecord.fetchOne(db, key: key)
        if old?.value == value { return false }
        try SettingRecord(key: key, value: value, updatedBy: actor, updatedAt: nowText()).save(db)
        try audit(db, actor: actor, action: "setting.set", entity: "setting", entityId: key,
                  before: old.map { ["value": $0.value] }, after: ["value": value])
        return true
    }

    /// Sets the currency amounts are converted into when several currencies meet.
    public func setReportingCurrency(_ code: String, actor: String) async throws -> FXTable {
        let code = try Self.currencyCode(code, field: "reporting")
        return try await writer.write { db in
            _ = try self.writeSetting(Self.reportingCurrencyKey, code, actor: actor, db)
            return try self.fxTable(db)
        }
    }

    /// Records a rate: 1 `currency` = `rate` reporting currency. Needs a reporting currency.
    public func setFXRate(currency: String, rate: Double, actor: String) async throws -> FXTable {
        let code = try Self.currencyCode(currency, field: "currency")
        guard rate.isFinite, rate > 0 else { throw LinkStarError.invalidField("rate", "must be a positive number") }
        return try await writer.write { db in
            guard let reporting = try self.setting(Self.reportingCurrencyKey, db) else {
                throw LinkStarError(.invalid, "there is no reporting currency yet: set it before exchange rates",
                                    details: [.init(field: "reporting", message: "no reporting currency")], hint: .setExchangeRates)
            }
            if code == reporting { throw LinkStarError.invalidField("currency", "\(code) is the reporting currency (its rate is 1)") }
            let old = try FXRateRecord.fetchOne(db, key: ["reporting_currency": reporting, "currency": code])
            if old?.rate != rate {
                try FXRateRecord(reportingCurrency: reporting, currency: code, rate: rate, setBy: actor, setAt: self.nowText()).save(db)
                try self.audit(db, actor: actor, action: "fx.set", entity: "fx", entityId: "\(code)/\(reporting)",
                               before: old.map { ["rate": $0.rate] }, after: ["rate": rate])
            }
            return try self.fxTable(db)
        }
    }

    /// The reporting currency and its rates.
    public func fx() async throws -> FXTable {
        try await writer.read { db in try self.fxTable(db) }
    }

    func fxTable(_ db: Database) throws -> FXTable {
        let reporting = try setting(Self.reportingCurrencyKey, db)
        let rates = try FXRateRecord.filter(Column("reporting_currency") == reporting).order(Column("currency")).fetchAll(db).map {
            FXTable.Rate(currency: $0.currency, rate: $0.rate, setBy: $0.setBy, setAt: Self.date($0.setAt))
        }
        return FXTable(reportingCurrency: reporting, rates: rates)
    }

    /// Sets how many days old the newest value of a series may be before it counts as stale.
    public func setStaleAfterDays(_ days: Int, actor: String) async throws {
        guard (0...365).contains(days) else { throw LinkStarError.invalidField("lag", "must be 0 to 365 days") }
        _ = try await writer.write { db in try self.writeSetting(Self.staleAfterDaysKey, String(days), actor: actor, db) }
    }
}

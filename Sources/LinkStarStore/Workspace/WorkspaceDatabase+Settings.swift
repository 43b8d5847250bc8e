import Foundation
import GRDB
import LinkStarCore

/// A row of `exchange_rate`.
struct FXRateRecord: SnakeCaseRecord, Equatable {
    static let databaseTableName = "exchange_rate"
    var reportingCurrency: String
    var currency: String
    var fromDay: Int
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

/// The reporting currency and the dated exchange rates into it.
public struct FXTable: Codable, Sendable, Equatable {
    public struct Rate: Codable, Sendable, Equatable {
        public var currency: String
        /// The first day the rate applies to; it applies until the next rate of the same currency.
        public var from: Day
        /// Units of the reporting currency per unit of `currency`.
        public var rate: Double
        public var setBy: String
        public var setAt: Date
    }
    public var reportingCurrency: String?
    /// Rates by currency, then by day.
    public var rates: [Rate]
}

extension WorkspaceDatabase {
    static let reportingCurrencyKey = "reporting_currency"
    static let staleAfterDaysKey = "stale_after_days"


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
        try db.firstText(cached: "SELECT value FROM setting WHERE key = ?1", [.text(key)])
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
        let code = try CurrencyCode.parse(code, field: "reporting")
        return try await writer.write { db in
            _ = try self.writeSetting(Self.reportingCurrencyKey, code, actor: actor, db)
            return try self.fxTable(db)
        }
    }

    /// Records a rate: 1 `currency` = `rate` reporting currency from `from` on, until the currency's next rate.
    /// Without `from`, a currency's first rate applies to every day, a later one from today. Needs a reporting currency.
    public func setFXRate(currency: String, rate: Double, from: Day? = nil, actor: String) async throws -> FXTable {
        let code = try CurrencyCode.parse(currency, field: "currency")
        guard rate.isFinite, rate > 0, rate <= InputLimits.maxRatio else {
            throw LinkStarError.invalidField("rate", "must be a positive number up to 1000000")
        }
        return try await writer.write { db in
            guard let reporting = try self.setting(Self.reportingCurrencyKey, db) else {
                throw LinkStarError(.invalid, "there is no reporting currency yet: set it before exchange rates",
                                    details: [.init(field: "reporting", message: "no reporting currency")], hint: .setExchangeRates)
            }
            if code == reporting { throw LinkStarError.invalidField("currency", "\(code) is the reporting currency (its rate is 1)") }
            let existing = try FXRateRecord.filter(Column("reporting_currency") == reporting && Column("currency") == code).fetchCount(db)
            let day = from ?? (existing == 0 ? Day.firstSupported : self.today())
            let old = try FXRateRecord.fetchOne(db, key: ["reporting_currency": reporting, "currency": code, "from_day": day.ordinal])
            if old?.rate != rate {
                try FXRateRecord(reportingCurrency: reporting, currency: code, fromDay: day.ordinal, rate: rate, setBy: actor,
                                 setAt: self.nowText()).save(db)
                try self.audit(db, actor: actor, action: "fx.set", entity: "fx", entityId: "\(code)/\(reporting)",
                               before: old.map { ["rate": String($0.rate), "from": day.description] },
                               after: ["rate": String(rate), "from": day.description])
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
        let rates = try FXRateRecord.filter(Column("reporting_currency") == reporting).order(Column("currency"), Column("from_day"))
            .fetchAll(db).map {
                FXTable.Rate(currency: $0.currency, from: Day(ordinal: $0.fromDay), rate: $0.rate, setBy: $0.setBy, setAt: Self.date($0.setAt))
            }
        return FXTable(reportingCurrency: reporting, rates: rates)
    }

    /// Sets how many days old the newest value of a series may be before it counts as stale (`WorkspaceSetting` bounds).
    public func setStaleAfterDays(_ days: Int, actor: String) async throws {
        _ = try await setConfig(.staleAfterDays, value: String(days), actor: actor)
    }
}

extension WorkspaceDatabase {
    static let coverageThresholdKey = "coverage_threshold"

    /// The coverage below which a rate is partial (workspace setting, default `LikeForLike.defaultCoverageThreshold`).
    func coverageThreshold(_ db: Database) throws -> Double {
        try setting(Self.coverageThresholdKey, db).flatMap(Double.init) ?? LikeForLike.defaultCoverageThreshold
    }

    /// The dated exchange rates into the reporting currency.
    func exchangeRates(_ db: Database) throws -> ExchangeRates {
        // The rates of `fxTable`, in its order, through a statement prepared once per connection (every report reads them).
        let reporting = try setting(Self.reportingCurrencyKey, db)
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT currency, from_day, rate FROM exchange_rate WHERE reporting_currency IS ? ORDER BY currency, from_day
            """), arguments: [reporting])
        return ExchangeRates(reportingCurrency: reporting,
                             rates: rows.map { ExchangeRates.Rate(currency: $0[0], from: Day(ordinal: $0[1]), rate: $0[2]) })
    }
}

/// One workspace setting as `config` shows it.
public struct ConfigEntry: Codable, Sendable, Equatable {
    public var key: WorkspaceSetting
    public var value: String
    /// False when the default applies.
    public var isSet: Bool
    public var summary: Message
}

extension WorkspaceDatabase {
    /// Every setting `config set` may change, with its value (or default).
    public func config() async throws -> [ConfigEntry] {
        try await writer.read { db in try WorkspaceSetting.allCases.map { try self.configEntry($0, db) } }
    }

    func configEntry(_ key: WorkspaceSetting, _ db: Database) throws -> ConfigEntry {
        let stored = try setting(key.rawValue, db)
        return ConfigEntry(key: key, value: stored ?? key.defaultValue, isSet: stored != nil, summary: key.summary)
    }

    /// Sets one workspace setting (validated by `WorkspaceSetting`), audited.
    public func setConfig(_ key: WorkspaceSetting, value: String, actor: String) async throws -> ConfigEntry {
        let text = try key.normalise(value)
        return try await writer.write { db in
            _ = try self.writeSetting(key.rawValue, text, actor: actor, db)
            return try self.configEntry(key, db)
        }
    }
}

/// What people read in: the workspace's language (nil when not set) and time zone.
public struct DisplaySettings: Sendable, Equatable {
    public var language: Language?
    public var timeZone: TimeZone
}

extension WorkspaceDatabase {
    /// The workspace's `lang` (nil when unset, so the reader's locale decides) and `timezone` (UTC when unset).
    public func displaySettings() async throws -> DisplaySettings {
        try await writer.read { db in try self.displaySettings(db) }
    }

    func displaySettings(_ db: Database) throws -> DisplaySettings {
        let language = try setting(WorkspaceSetting.lang.rawValue, db).flatMap(Language.recognise)
        return DisplaySettings(language: language, timeZone: try timeZone(db))
    }

    /// The workspace's time zone (UTC when unset).
    func timeZone(_ db: Database) throws -> TimeZone {
        try setting(WorkspaceSetting.timezone.rawValue, db).flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "UTC")!
    }

    /// The web pages' address (`public_url`), when set.
    func publicURL(_ db: Database) throws -> String? {
        try setting(WorkspaceSetting.publicURL.rawValue, db).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The web pages' address (`public_url`), when set: chat messages link to it.
    public func publicURL() async throws -> String? {
        try await writer.read { db in try self.publicURL(db) }
    }
}

import GRDB
import LinkStarCore

extension WorkspaceDatabase {
    /// Seeds the five layers and the default metric catalog; rows that exist are never touched.
    /// Seeds layers and the metric catalog, and records the workspace's start (`since`, else today) when it has none
    /// or `since` moves it. Nothing is written when nothing is new.
    public func seedDefaults(actor: String, since: Day? = nil) async throws -> SeedReport {
        try await writer.write { db in
            var startSet: Day?
            let recorded = try self.setting(Self.workspaceStartKey, db)
            if recorded == nil || (since != nil && recorded != since?.description) {
                let start = since ?? self.today()
                _ = try self.writeSetting(Self.workspaceStartKey, start.description, actor: actor, db)
                startSet = start
            }
            var layersAdded: [LayerKey] = []
            for definition in LayerDefinition.all where try LayerRecord.fetchOne(db, key: definition.key.rawValue) == nil {
                try LayerRecord(key: definition.key.rawValue, position: definition.key.position, nameEn: definition.nameEN,
                                nameZh: definition.nameZH, covers: definition.covers).insert(db)
                layersAdded.append(definition.key)
            }
            var metricsAdded: [String] = []
            for metric in MetricCatalog.all
            where try MetricRecord.filter(MetricRecord.Columns.key == metric.key).fetchCount(db) == 0 {
                var record = MetricRecord(metric, createdAt: self.nowText())
                try record.insert(db)
                metricsAdded.append(metric.key)
            }
            let report = SeedReport(layersAdded: layersAdded, metricsAdded: metricsAdded, startSet: startSet)
            if !layersAdded.isEmpty || !metricsAdded.isEmpty {
                try self.audit(db, actor: actor, action: "workspace.seed", entity: "workspace", entityId: "defaults",
                               before: SeedReport?.none, after: report)
            }
            return report
        }
    }

    /// All five layers, top of the funnel first.
    public func layers() async throws -> [LayerView] {
        try await writer.read { db in try self.layerViews(db) }
    }

    /// One layer with its KPIs and its current review checklist.
    public func layer(_ key: LayerKey) async throws -> LayerDetail {
        try await writer.read { db in
            guard let view = try self.layerViews(db).first(where: { $0.key == key }) else {
                throw LinkStarError(.notFound, "layer '\(key.rawValue)' is not in this workspace", hint: .initWorkspace)
            }
            let kpis = try self.kpiViews(KPIRecord.filter(Column("retired_at") == nil).inLayer(key).orderedForDisplay().fetchAll(db), db)
            var checklist: [ChecklistItem] = []
            if let versionId = try self.layerRecord(key, db).playbookVersionId {
                checklist = try self.checklist(versionId: versionId, db)
            }
            return LayerDetail(layer: view, kpis: kpis, checklist: checklist)
        }
    }

    /// Sets a layer's owner and, optionally, its backup owner. An unchanged assignment writes nothing.
    public func assignLayer(_ key: LayerKey, owner: String, backup: String?, actor: String) async throws -> LayerAssignResult {
        try await writer.write { db in
            var layer = try self.layerRecord(key, db)
            let ownerRecord = try self.personRecord(owner, field: "owner", db)
            var backupId = layer.backupOwnerId
            if let backup { backupId = try self.personRecord(backup, field: "backup", db).id }
            if backupId != nil && backupId == ownerRecord.id {
                let message: Message = backup == nil
                    ? "'\(ownerRecord.handle)' is this layer's backup owner; name another backup with --backup"
                    : "owner and backup owner must be different people"
                throw LinkStarError(.invalid, message, details: [.init(field: "backup", message: message)])
            }
            let before = try self.layerViews(db).first { $0.key == key }!
            if layer.ownerId == ownerRecord.id && layer.backupOwnerId == backupId {
                return LayerAssignResult(outcome: .unchanged, layer: before)
            }
            layer.ownerId = ownerRecord.id
            layer.backupOwnerId = backupId
            try layer.update(db)
            let after = try self.layerViews(db).first { $0.key == key }!
            try self.audit(db, actor: actor, action: "layer.assign", entity: "layer", entityId: key.rawValue,
                           before: OwnerSnapshot(owner: before.owner, backupOwner: before.backupOwner),
                           after: OwnerSnapshot(owner: after.owner, backupOwner: after.backupOwner))
            return LayerAssignResult(outcome: .updated, layer: after)
        }
    }

    func layerViews(_ db: Database) throws -> [LayerView] {
        let handles = try handlesById(db)
        let kpiCounts = try Dictionary(
            uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT layer_key, count(*) AS n FROM kpi GROUP BY layer_key")
                .map { (row: Row) -> (String, Int) in (row["layer_key"], row["n"]) })
        return try LayerRecord.order(LayerRecord.Columns.position).fetchAll(db).map { layer in
            var playbook: PlaybookRef?
            if let versionId = layer.playbookVersionId, let version = try PlaybookVersionRecord.fetchOne(db, key: versionId) {
                playbook = PlaybookRef(version: version.version, contentHash: version.contentHash, title: version.title,
                                       cadence: ReviewCadence(rawValue: version.cadence) ?? .weekly,
                                       reviewDay: version.reviewDay, syncedAt: Self.date(version.syncedAt))
            }
            return LayerView(key: LayerKey(rawValue: layer.key) ?? .traffic, position: layer.position,
                             nameEn: layer.nameEn, nameZh: layer.nameZh, covers: layer.covers,
                             owner: layer.ownerId.flatMap { handles[$0] },
                             backupOwner: layer.backupOwnerId.flatMap { handles[$0] },
                             playbook: playbook, kpiCount: kpiCounts[layer.key] ?? 0)
        }
    }
}

/// Audit snapshot of a layer's ownership.
struct OwnerSnapshot: Codable {
    var owner: String?
    var backupOwner: String?
}

import GRDB
import LinkStarCore
import LinkStarFormats

/// A playbook file's name and text, as read from the workspace's `Playbooks/` folder.
public struct PlaybookSource: Sendable, Equatable {
    public var fileName: String
    public var content: String

    public init(fileName: String, content: String) {
        self.fileName = fileName
        self.content = content
    }
}

extension WorkspaceDatabase {
    /// Parses every playbook and stores a new version for each one whose content changed.
    /// If any file is invalid nothing is stored, and every problem is reported with file and line.
    public func syncPlaybooks(_ sources: [PlaybookSource], actor: String) async throws -> PlaybookSyncReport {
        var documents: [(file: String, document: PlaybookDocument)] = []
        var problems: [LinkStarError.Detail] = []
        var fileByLayer: [LayerKey: String] = [:]
        for source in sources.sorted(by: { $0.fileName < $1.fileName }) {
            do {
                let document = try PlaybookParser.parse(source.content, file: source.fileName)
                if let other = fileByLayer[document.layer] {
                    problems.append(.init(file: source.fileName, line: 2,
                                          message: "layer '\(document.layer.rawValue)' already has a playbook in \(other); keep one file per layer"))
                    continue
                }
                fileByLayer[document.layer] = source.fileName
                documents.append((source.fileName, document))
            } catch let error as LinkStarError {
                problems.append(contentsOf: error.details.isEmpty ? [.init(file: source.fileName, message: error.summary)] : error.details)
            }
        }
        if !problems.isEmpty {
            let count = Set(problems.compactMap(\.file)).count
            throw LinkStarError(.invalid, count == 1 ? "1 playbook file rejected; nothing was synced" : "\(count) playbook files rejected; nothing was synced",
                                details: problems)
        }
        let parsed = documents.sorted { $0.document.layer < $1.document.layer }
        let missing = LayerKey.allCases.filter { fileByLayer[$0] == nil }
        return try await writer.write { db in
            var entries: [PlaybookSyncReport.Entry] = []
            for (file, document) in parsed {
                var layer = try self.layerRecord(document.layer, db)
                let latest = try PlaybookVersionRecord.all().forLayer(document.layer).fetchOne(db)
                let hash = document.contentHash
                if let latest, latest.contentHash == hash {
                    if layer.playbookVersionId != latest.id {
                        layer.playbookVersionId = latest.id
                        try layer.update(db)
                    }
                    entries.append(.init(file: file, layer: document.layer, outcome: .unchanged,
                                         version: latest.version, contentHash: hash))
                    continue
                }
                var version = PlaybookVersionRecord(
                    layerKey: document.layer.rawValue, version: (latest?.version ?? 0) + 1, title: document.title,
                    cadence: document.cadence.rawValue, reviewDay: document.reviewDay, sourceFile: file,
                    content: document.content, contentHash: hash, syncedBy: actor, syncedAt: self.nowText())
                try version.insert(db)
                for item in document.checklist {
                    try PlaybookChecklistItemRecord(playbookVersionId: version.id!, position: item.position, text: item.text,
                                                    optional: item.optional, line: item.line).insert(db)
                }
                layer.playbookVersionId = version.id
                try layer.update(db)
                try self.audit(db, actor: actor, action: "playbook.version", entity: "playbook", entityId: document.layer.rawValue,
                               before: latest.map { PlaybookVersionSnapshot($0, items: nil) },
                               after: PlaybookVersionSnapshot(version, items: document.checklist.count))
                entries.append(.init(file: file, layer: document.layer, outcome: latest == nil ? .created : .updated,
                                     version: version.version, contentHash: hash))
            }
            return PlaybookSyncReport(entries: entries, missingLayers: missing)
        }
    }

    /// Each layer's current playbook version.
    public func playbooks() async throws -> [PlaybookSummary] {
        try await writer.read { db in
            try LayerRecord.order(LayerRecord.Columns.position).fetchAll(db).map { layer in
                let key = LayerKey(rawValue: layer.key) ?? .traffic
                let versions = try PlaybookVersionRecord.all().forLayer(key).fetchCount(db)
                guard let id = layer.playbookVersionId, let current = try PlaybookVersionRecord.fetchOne(db, key: id) else {
                    return PlaybookSummary(layer: key, version: nil, versions: versions, title: nil, cadence: nil,
                                           contentHash: nil, checklistItems: 0, requiredItems: 0, syncedBy: nil, syncedAt: nil)
                }
                let items = try self.checklist(versionId: id, db)
                return PlaybookSummary(layer: key, version: current.version, versions: versions, title: current.title,
                                       cadence: ReviewCadence(rawValue: current.cadence), contentHash: current.contentHash,
                                       checklistItems: items.count, requiredItems: items.filter { !$0.optional }.count,
                                       syncedBy: current.syncedBy, syncedAt: Self.date(current.syncedAt))
            }
        }
    }

    /// A layer's playbook: the current version, or an earlier one by number.
    public func playbook(_ layer: LayerKey, version: Int? = nil) async throws -> PlaybookDetail {
        try await writer.read { db in
            let layerRecord = try self.layerRecord(layer, db)
            var request = PlaybookVersionRecord.all().forLayer(layer)
            if let version { request = request.filter(PlaybookVersionRecord.Columns.version == version) }
            guard let record = try request.fetchOne(db) else {
                let message: Message = version == nil
                    ? "layer '\(layer.rawValue)' has no playbook yet"
                    : "layer '\(layer.rawValue)' has no playbook version \(version!)"
                throw LinkStarError(.notFound, message, details: [.init(field: "version", message: message)],
                                    hint: version == nil ? .syncPlaybooks : nil)
            }
            return PlaybookDetail(
                layer: layer, version: record.version, current: record.id == layerRecord.playbookVersionId,
                title: record.title, cadence: ReviewCadence(rawValue: record.cadence) ?? .weekly, reviewDay: record.reviewDay,
                sourceFile: record.sourceFile, contentHash: record.contentHash, syncedBy: record.syncedBy,
                syncedAt: Self.date(record.syncedAt), checklist: try self.checklist(versionId: record.id!, db),
                content: record.content)
        }
    }

    /// Every version of a layer's playbook, newest first.
    public func playbookVersions(_ layer: LayerKey) async throws -> [PlaybookVersionSummary] {
        try await writer.read { db in
            let current = try self.layerRecord(layer, db).playbookVersionId
            return try PlaybookVersionRecord.all().forLayer(layer).fetchAll(db).map {
                PlaybookVersionSummary(version: $0.version, current: $0.id == current, title: $0.title, contentHash: $0.contentHash,
                                       syncedBy: $0.syncedBy, syncedAt: Self.date($0.syncedAt))
            }
        }
    }

    func checklist(versionId: Int64, _ db: Database) throws -> [ChecklistItem] {
        try PlaybookChecklistItemRecord
            .filter(PlaybookChecklistItemRecord.Columns.playbookVersionId == versionId)
            .order(PlaybookChecklistItemRecord.Columns.position)
            .fetchAll(db)
            .map { ChecklistItem(position: $0.position, text: $0.text, optional: $0.optional, line: $0.line) }
    }
}

/// Audit snapshot of a playbook version.
struct PlaybookVersionSnapshot: Codable {
    var version: Int
    var contentHash: String
    var title: String
    var cadence: String
    var sourceFile: String
    var checklistItems: Int?

    init(_ r: PlaybookVersionRecord, items: Int?) {
        version = r.version
        contentHash = r.contentHash
        title = r.title
        cadence = r.cadence
        sourceFile = r.sourceFile
        checklistItems = items
    }
}

import GRDB
import LinkStarCore

extension WorkspaceDatabase {
    /// The metric catalog, optionally one layer's, base metrics first.
    public func metrics(layer: LayerKey? = nil) async throws -> [MetricView] {
        try await writer.read { db in
            var request = MetricRecord.order(Column("numerator_key") != nil, MetricRecord.Columns.id)
            if let layer { request = request.filter(MetricRecord.Columns.layerKey == layer.rawValue) }
            return try request.fetchAll(db).map { MetricView($0.domain) }
        }
    }

    /// One catalog entry.
    public func metric(_ key: String) async throws -> MetricView {
        try await writer.read { db in MetricView(try self.metricRecord(key, field: "metric", db).domain) }
    }

    /// Adds a custom metric under the same rules as the built-in catalog.
    public func defineMetric(_ input: NewMetric, actor: String) async throws -> MetricView {
        try InputLimits.checkLength(input.definition, field: "definition", max: InputLimits.maxText)
        try InputLimits.checkLength(input.name ?? "", field: "name", max: 100)
        return try await writer.write { db in
            let catalog = try reference(db).definitions
            let definition = try input.resolve(in: catalog)
            var record = MetricRecord(definition, createdAt: self.nowText())
            try record.insert(db)
            let view = MetricView(definition)
            try self.audit(db, actor: actor, action: "metric.define", entity: "metric", entityId: definition.key,
                           before: MetricView?.none, after: view)
            return view
        }
    }
}

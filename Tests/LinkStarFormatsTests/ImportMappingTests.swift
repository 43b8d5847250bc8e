import LinkStarCore
import LinkStarFormats
import Testing

@Suite("Import mappings and presets")
struct ImportMappingTests {
    @Test("every preset parses and maps only base metrics")
    func presets() throws {
        let catalog = Dictionary(uniqueKeysWithValues: MetricCatalog.all.map { ($0.key, $0) })
        for (name, _) in ImportPresets.yaml {
            let mapping = try ImportPresets.mapping(name)
            #expect(mapping.name == name)
            for (metric, headers) in mapping.metrics {
                #expect(catalog[metric]?.isDerived == false, "\(name): \(metric)")
                #expect(!headers.isEmpty)
            }
            for (metric, _) in mapping.rates { #expect(catalog[metric]?.isDerived == true, "\(name) rate \(metric)") }
        }
    }

    @Test("a broken mapping names its line")
    func brokenMapping() {
        let error = #expect(throws: LinkStarError.self) {
            try ImportMapping.parse(yaml: "name: x\ndate: {column: Day, format: DD.MM}\nmetrics:\n  sessions: [Visits]\n", file: "m.yml")
        }
        #expect(error?.details.first?.file == "m.yml")
        #expect(error?.details.first?.line == 2)
    }

    @Test("the format is detected from the header")
    func detection() throws {
        let catalog = Dictionary(uniqueKeysWithValues: MetricCatalog.all.map { ($0.key, $0) })
        #expect(try ImportFormatDetector.detect(header: ["date", "channel", "market", "device", "metric", "value"], catalog: catalog).name == "long")
        #expect(try ImportFormatDetector.detect(header: ["date", "sessions", "orders"], catalog: catalog).name == "wide")
        #expect(try ImportFormatDetector.detect(header: ["Day", "Sessions", "Sessions with cart additions", "Sessions that reached checkout"], catalog: catalog).name == "shopify")
        #expect(try ImportFormatDetector.detect(header: ["Date", "Visitors", "Pageviews", "Add to Cart Users", "Orders", "Revenue"], catalog: catalog).name == "lazada")
        #expect(throws: LinkStarError.self) { try ImportFormatDetector.detect(header: ["when", "what"], catalog: catalog) }
    }
}

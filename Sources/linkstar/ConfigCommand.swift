import ArgumentParser
import LinkStarCore
import LinkStarStore

/// `linkstar config`: workspace settings.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: tr("Workspace settings: coverage threshold, stale-after days, review grace days."),
        subcommands: [Set.self, Get.self, List.self])

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", abstract: tr("Change a setting, e.g. config set coverage_threshold 70%."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: h("Setting key (see config list).")) var key: String
        @Argument(help: h("New value.")) var value: String

        func validate() throws { try ErrorReport.validating { _ = try WorkspaceSetting.parse(key).normalise(value) } }

        func run() async throws {
            let entry = try await global.open().setConfig(try WorkspaceSetting.parse(key), value: value, actor: try await global.actor(.configSet))
            if output.json { return try Output.json(entry) }
            Output.line("\(entry.key.rawValue) = \(entry.value)")
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "get", abstract: tr("Show one setting's value."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: h("Setting key.")) var key: String

        func validate() throws { try ErrorReport.validating { _ = try WorkspaceSetting.parse(key) } }

        func run() async throws {
            let wanted = try WorkspaceSetting.parse(key)
            guard let entry = try await global.open().config().first(where: { $0.key == wanted }) else { return }
            if output.json { return try Output.json(entry) }
            Output.raw(entry.value)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: tr("Show every setting with its value (or default)."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let entries = try await global.open().config()
            if output.json { return try Output.json(entries) }
            Output.table(["KEY", "VALUE", "", "MEANING"], entries.map {
                [$0.key.rawValue, $0.value, $0.isSet ? "" : tr("(default)"), tr($0.summary)]
            })
        }
    }
}

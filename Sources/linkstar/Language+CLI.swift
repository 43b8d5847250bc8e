import ArgumentParser
import Foundation
import LinkStarCore
import LinkStarStore

/// The language and time zone of this run: `--lang`, else `LINKSTAR_LANG`, else the workspace's `lang`
/// (once a workspace is open), else `LANG`/`LC_ALL`, else English (`Language.resolve`).
enum CLILanguage {
    private static let state = LockedState()

    /// The language everything a person reads is printed in.
    static var current: Language { state.read().language }
    /// The language `--lang` or `LINKSTAR_LANG` chose, nil when the workspace or the locale decides.
    static var chosen: Language? { state.read().explicit ? state.read().language : nil }
    /// The time zone times are printed in (the workspace's `timezone`, else UTC).
    static var timeZone: TimeZone { state.read().timeZone }

    /// Resolves the language from the command line and the environment, before any command is parsed, so
    /// parsing and validation errors are already in the reader's language.
    static func bootstrap(arguments: [String], environment: [String: String]) {
        let flag = flagValue(arguments)
        let language = (try? Language.resolve(flag: flag, environment: environment, workspaceDefault: nil))
            ?? Language.fromLocale(environment) ?? .en
        state.update { $0.language = language; $0.explicit = flag != nil || !(environment["LINKSTAR_LANG"] ?? "").isEmpty }
    }

    /// Applies the open workspace's settings: its `lang` unless `--lang`/`LINKSTAR_LANG` chose, and its `timezone`.
    static func apply(_ database: WorkspaceDatabase) async throws {
        let display = try await database.displaySettings()
        state.update { state in
            if !state.explicit, let language = display.language { state.language = language }
            state.timeZone = display.timeZone
        }
    }

    /// A stored UTC time in the workspace's time zone.
    static func time(_ date: Date) -> String { DisplayTime.format(date, in: timeZone) }

    /// A stored ISO 8601 timestamp in the workspace's time zone.
    static func time(stored text: String) -> String { DisplayTime.format(stored: text, in: timeZone) }

    /// `--lang X` or `--lang=X` anywhere before `--`.
    static func flagValue(_ arguments: [String]) -> String? {
        var value: String?
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            if argument == "--" { break }
            if argument == "--lang", index + 1 < arguments.endIndex { value = arguments[index + 1]; index += 1 }
            else if argument.hasPrefix("--lang=") { value = String(argument.dropFirst(7)) }
            index += 1
        }
        return value
    }

    private struct Settings {
        var language: Language = .en
        var explicit = false
        var timeZone = TimeZone(identifier: "UTC")!
    }

    private final class LockedState: @unchecked Sendable {
        private let lock = NSLock()
        private var value = Settings()
        func read() -> Settings { lock.lock(); defer { lock.unlock() }; return value }
        func update(_ body: (inout Settings) -> Void) { lock.lock(); body(&value); lock.unlock() }
    }
}

/// `--lang zh|en`, on every command.
struct LanguageOptions: ParsableArguments {
    @Option(name: .long, help: h("Language people read: zh or en (default: $LINKSTAR_LANG, else the workspace's lang, else $LANG, else en)."))
    var lang: String?

    func validate() throws { try ErrorReport.validating { _ = try lang.map { try Language.parse($0) } } }
}

import ArgumentParser
import LinkStarCore
import LinkStarStore

/// `linkstar person add|list`.
struct PersonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "person", abstract: "Add and list people (handle, name, role admin|editor|viewer).",
        subcommands: [Add.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a person.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "Handle, e.g. lin.wei") var handle: String
        @Option(help: "Display name, e.g. \"Lin Wei 林伟\".") var name: String
        @Option(help: "admin | editor | viewer") var role: String = "editor"
        @Option(help: "How to reach them (email, DingTalk/Feishu id).") var contact: String?

        func validate() throws {
            try ErrorReport.validating {
                _ = try PersonRole.parse(role)
                _ = try PersonHandle.validate(handle)
            }
        }

        func run() async throws {
            let person = try await global.open().addPerson(
                NewPerson(handle: handle, displayName: name, role: try PersonRole.parse(role), contact: contact),
                actor: try global.actingHandle())
            if output.json { return try Output.json(person) }
            Output.line("Added \(person.handle) (\(person.displayName), \(person.role.rawValue))")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List people.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let people = try await global.open().people()
            if output.json { return try Output.json(people) }
            Output.table(["HANDLE", "NAME", "ROLE", "CONTACT"],
                         people.map { [$0.handle, $0.displayName, $0.role.rawValue, $0.contact ?? "-"] })
        }
    }
}

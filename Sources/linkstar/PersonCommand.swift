import ArgumentParser
import LinkStarCore
import LinkStarStore

/// `linkstar person add|list|deactivate|reactivate`.
struct PersonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "person", abstract: tr("Add, list, deactivate and reactivate people (handle, name, role admin|editor|viewer)."),
        subcommands: [Add.self, Edit.self, Set.self, List.self, Deactivate.self, Reactivate.self])

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", 
            abstract: tr("Set who a person is in the team's chats, so messages @-mention them (an empty value clears one)."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: h("Handle.")) var handle: String
        @Option(help: h("DingTalk: the mobile number the robot @-mentions.")) var dingtalkMobile: String?
        @Option(help: h("DingTalk: the user id (preferred over the mobile).")) var dingtalkUserId: String?
        @Option(help: h("Feishu: the open_id (ou_…).")) var feishuOpenId: String?
        @Option(help: h("WeCom: the userid.")) var wecomUser: String?
        @Option(help: h("Slack: the member id (U…).")) var slackId: String?

        var changes: [ChatIdentity.Field: String?] {
            var changes: [ChatIdentity.Field: String?] = [:]
            for (field, value) in [(ChatIdentity.Field.dingtalkMobile, dingtalkMobile), (.dingtalkUserId, dingtalkUserId),
                                   (.feishuOpenId, feishuOpenId), (.wecomUser, wecomUser), (.slackId, slackId)] {
                if let value { changes.updateValue(value.isEmpty ? nil : value, forKey: field) }  // "" clears: kept as a nil value
            }
            return changes
        }

        func validate() throws {
            try ErrorReport.validating {
                if changes.isEmpty { throw LinkStarError.invalidField("identity", "give at least one of --dingtalk-mobile, --dingtalk-user-id, --feishu-open-id, --wecom-user, --slack-id") }
                for (field, value) in changes { if let value { _ = try field.validate(value) } }
            }
        }

        func run() async throws {
            let database = try await global.open()
            let view = try await database.setChatIdentity(handle: handle, changes, actor: try await global.actor(.personChat))
            if output.json { return try Output.json(view) }
            let set = ChatIdentity.Field.allCases.compactMap { field in view.identity[field].map { "\(field.rawValue) \($0)" } }
            Output.line(set.isEmpty ? "\(view.handle): no chat identity" : "\(view.handle): \(set.joined(separator: ", "))")
        }
    }

    struct Edit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "edit", abstract: tr("Change a person's name, role, contact or OS account (audited)."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: h("Handle.")) var handle: String
        @Option(help: h("New display name.")) var name: String?
        @Option(help: h("admin | editor | viewer")) var role: String?
        @Option(help: h("New contact.")) var contact: String?
        @Option(help: h("The OS account that acts as this person on the CLI without --as.")) var osUser: String?

        func makeChanges() throws -> PersonChanges { try PersonChanges.parse(name: name, role: role, contact: contact, osUser: osUser) }
        func validate() throws { try ErrorReport.validating { _ = try makeChanges() } }

        func run() async throws {
            let person = try await global.open().editPerson(handle, try makeChanges(), actor: try await global.actor(.personEdit))
            if output.json { return try Output.json(person) }
            Output.line(person.osUser.map { "\(person.handle): \(person.displayName), \(person.role), OS user \($0)" } ?? "\(person.handle): \(person.displayName), \(person.role)")
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: tr("Add a person."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: h("Handle, e.g. lin.wei")) var handle: String
        @Option(help: h("Display name, e.g. \"Lin Wei 林伟\".")) var name: String
        @Option(help: h("admin | editor | viewer (default editor)")) var role: String?
        @Option(help: h("How to reach them (email, DingTalk/Feishu id).")) var contact: String?
        @Option(help: h("The OS account that acts as this person on the CLI without --as.")) var osUser: String?

        func makeInput() throws -> NewPerson { try NewPerson.parse(handle: handle, name: name, role: role, contact: contact, osUser: osUser) }

        func validate() throws { try ErrorReport.validating { _ = try makeInput() } }

        func run() async throws {
            let person = try await global.open().addPerson(try makeInput(), actor: try await global.actor(.personAdd))
            if output.json { return try Output.json(person) }
            Output.line("Added \(person.handle) (\(person.displayName), \(person.role))")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: tr("List people."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let people = try await global.open().people()
            if output.json { return try Output.json(people) }
            Output.table(["HANDLE", "NAME", "ROLE", "ACTIVE", "OS USER", "CONTACT"],
                         people.map { [$0.handle, $0.displayName, tr($0.role), tr($0.active ? "yes" : "no (deactivated)"), $0.osUser ?? "-", $0.contact ?? "-"] })
        }
    }

    struct Deactivate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "deactivate", 
            abstract: tr("Deactivate a person who left: their history stays, they can no longer act (CLI or tokens)."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: h("Handle.")) var handle: String

        func run() async throws {
            let person = try await global.open().setPersonActive(handle, active: false, actor: try await global.actor(.personDeactivate))
            if output.json { return try Output.json(person) }
            Output.line("Deactivated \(person.handle); the layers and KPIs they own show them as inactive until reassigned")
        }
    }

    struct Reactivate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reactivate", abstract: tr("Reactivate a deactivated person."))
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: h("Handle.")) var handle: String

        func run() async throws {
            let person = try await global.open().setPersonActive(handle, active: true, actor: try await global.actor(.personReactivate))
            if output.json { return try Output.json(person) }
            Output.line("Reactivated \(person.handle)")
        }
    }
}

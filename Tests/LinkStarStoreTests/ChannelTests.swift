import Foundation
import GRDB
import LinkStarCore
import LinkStarFormats
import Testing
@testable import LinkStarStore

@Suite("Chat channels and identities")
struct ChannelTests {
    @Test("a channel's URL and secret are sealed under the key file beside the database: a dump and the audit log show neither")
    func sealedOnDisk() async throws {
        let folder = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("linkstar.sqlite").path
        let database = try WorkspaceDatabase.openFile(at: path)
        let input = try NewChannel.parse(name: "Ops-Daily", kind: "dingtalk", url: "https://oapi.dingtalk.com/robot/send?access_token=TOKEN0123456789",
                                         secret: "SECsecret0123")
        let channel = try await database.addChannel(input, actor: "lin.wei")
        #expect(channel.name == "ops-daily" && channel.signed && channel.url == "https://oapi.dingtalk.com/robot/…?…")
        // The key file: 0600, beside the database.
        let attributes = try FileManager.default.attributesOfItem(atPath: path + ".key")
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        // Nothing of the token or the secret anywhere in the database file or its WAL, nor in the audit log.
        try await database.writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        for file in [path, path + "-wal"] where FileManager.default.fileExists(atPath: file) {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
            #expect(bytes.range(of: Data("TOKEN0123456789".utf8)) == nil && bytes.range(of: Data("SECsecret0123".utf8)) == nil, "\(file)")
        }
        let audit = try await database.auditEntries(entity: "channel", actor: nil, limit: 10)
        let auditText = "\(audit)"
        #expect(audit.count == 1 && !auditText.contains("TOKEN0123456789") && !auditText.contains("SECsecret0123"))
        // The sealed values open with the key, and with no other.
        let sealed = try #require(try await database.writer.read { db in try Row.fetchOne(db, sql: "SELECT url_sealed, secret_sealed FROM notify_channel") })
        let key = try database.notifyKey(create: false)
        #expect(try SecretBox.open(sealed["url_sealed"], key: key) == input.url.absoluteString)
        #expect(try SecretBox.open(sealed["secret_sealed"], key: key) == "SECsecret0123")
        #expect(throws: LinkStarError.self) { try SecretBox.open(sealed["secret_sealed"], key: SecretBox.newKey()) }
        // A damaged key file is an error, never a new key that would orphan the sealed values.
        try Data("garbage\n".utf8).write(to: URL(fileURLWithPath: path + ".key"))
        await #expect(throws: LinkStarError.self) {
            _ = try await database.addChannel(try NewChannel.parse(name: "two", kind: "slack", url: "https://hooks.slack.com/services/T/B/X", secret: nil), actor: "lin.wei")
        }
    }

    @Test("names are unique among channels in use; a removed channel's name is free again; removing an unknown one is not found")
    func addListRemove() async throws {
        let database = try await Fixture.workspace()
        let slack = try NewChannel.parse(name: "team", kind: "slack", url: "https://hooks.slack.com/services/T0/B0/XYZ", secret: nil)
        _ = try await database.addChannel(slack, actor: "lin.wei")
        await #expect(throws: LinkStarError.self) { _ = try await database.addChannel(slack, actor: "lin.wei") }
        #expect(try await database.channels().map(\.name) == ["team"])
        let removed = try await database.removeChannel(name: "TEAM", actor: "lin.wei")
        let left = try await database.channels()
        #expect(removed.name == "team" && left.isEmpty)
        _ = try await database.addChannel(slack, actor: "lin.wei")
        await #expect(throws: LinkStarError.self) { _ = try await database.removeChannel(name: "nope", actor: "lin.wei") }
        for bad in [("x", "wechat", "https://a.example.com/"), ("x", "slack", "http://a.example.com/"), ("a b", "slack", "https://a.example.com/")] {
            #expect(throws: LinkStarError.self) { _ = try NewChannel.parse(name: bad.0, kind: bad.1, url: bad.2, secret: nil) }
        }
    }

    @Test("chat identities are set, changed and cleared per field, validated, audited, and used by the daily report's mentions")
    func identities() async throws {
        let database = try await Fixture.workspace()
        _ = try await database.addPerson(NewPerson(handle: "chen.jie", displayName: "Chen Jie", role: .editor), actor: "setup")
        let set = try await database.setChatIdentity(handle: "chen.jie", [.dingtalkMobile: "13800000001", .feishuOpenId: "ou_abc"], actor: "lin.wei")
        #expect(set.identity == ChatIdentity(dingtalkMobile: "13800000001", feishuOpenId: "ou_abc"))
        let clearMobile: [ChatIdentity.Field: String?] = [.dingtalkMobile: String?.none, .slackId: "U024BE7LH"]
        let changed = try await database.setChatIdentity(handle: "chen.jie", clearMobile, actor: "lin.wei")
        #expect(changed.identity == ChatIdentity(feishuOpenId: "ou_abc", slackId: "U024BE7LH"))
        await #expect(throws: LinkStarError.self) { _ = try await database.setChatIdentity(handle: "chen.jie", [.feishuOpenId: "abc"], actor: "lin.wei") }
        await #expect(throws: LinkStarError.self) { _ = try await database.setChatIdentity(handle: "nobody", [.slackId: "U1"], actor: "lin.wei") }
        let identities = try await database.chatIdentities()
        #expect(identities == ["chen.jie": ChatIdentity(feishuOpenId: "ou_abc", slackId: "U024BE7LH")])
        let audit = try await database.auditEntries(entity: "person", actor: "lin.wei", limit: 10)
        #expect(audit.filter { $0.action == "person.chat" }.count == 2)
    }
}

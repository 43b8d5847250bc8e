import Foundation
import LinkStarCore
import Testing
@testable import LinkStarStore

@Suite("Playbook sync")
struct PlaybookSyncTests {
    @Test("editing a playbook and syncing creates version 2 with a new hash; syncing again creates nothing")
    func versions() async throws {
        let clock = TestClock()
        let database = try await Fixture.workspace(clock: clock)
        var sources = Fixture.defaultSources()
        let v1 = try await database.playbook(.traffic)
        #expect(v1.version == 1)

        // Given an edited traffic playbook
        let index = try #require(sources.firstIndex { $0.fileName == "traffic.md" })
        sources[index].content += "- [ ] Check TikTok Shop live-session traffic\n"
        clock.advance(seconds: 60)
        let count = try await database.auditEntryCount()

        // When it is synced
        let report = try await database.syncPlaybooks(sources, actor: "zhang.min")

        // Then traffic has version 2 with a new hash and the others are unchanged
        #expect(report.entries.first { $0.layer == .traffic }?.outcome.rawValue == "updated")
        #expect(report.entries.filter { $0.outcome.rawValue == "unchanged" }.count == 4)
        let v2 = try await database.playbook(.traffic)
        #expect(v2.version == 2)
        #expect(v2.contentHash != v1.contentHash)
        #expect(v2.syncedBy == "zhang.min")
        #expect(v2.checklist.last?.text == "Check TikTok Shop live-session traffic")
        #expect(try await database.layers()[0].playbook?.version == 2)
        #expect(try await database.auditEntryCount() == count + 1)
        // The earlier version is still there, no longer current.
        let old = try await database.playbook(.traffic, version: 1)
        #expect(old.current == false)
        #expect(old.contentHash == v1.contentHash)

        // When synced again, nothing changes
        let again = try await database.syncPlaybooks(sources, actor: "zhang.min")
        #expect(!again.changed)
        #expect(try await database.auditEntryCount() == count + 1)
        #expect(try await database.playbooks().first { $0.layer == .traffic }?.versions == 2)
    }

    @Test("one invalid file rejects the whole sync, naming file and line, and writes nothing")
    func invalidRejectsAll() async throws {
        let database = try await Fixture.workspace()
        var sources = Fixture.defaultSources()
        sources[0].content += "\n- [ ] edited\n"
        let landing = try #require(sources.firstIndex { $0.fileName == "landing.md" })
        sources[landing].content = sources[landing].content.replacingOccurrences(of: "cadence: weekly", with: "cadence: sometimes")
        let before = try await Fixture.dump(database)

        let error = await #expect(throws: LinkStarError.self) { try await database.syncPlaybooks(sources, actor: "a") }
        #expect(error?.kind == .invalid)
        let detail = try #require(error?.details.first)
        #expect(detail.file == "landing.md")
        #expect(detail.line == 5)
        #expect(try await Fixture.dump(database) == before)
    }

    @Test("two files for one layer are refused")
    func duplicateLayer() async throws {
        let database = try await Fixture.workspace()
        var sources = Fixture.defaultSources()
        sources.append(PlaybookSource(fileName: "traffic-copy.md", content: sources.first { $0.fileName == "traffic.md" }!.content))
        let error = await #expect(throws: LinkStarError.self) { try await database.syncPlaybooks(sources, actor: "a") }
        #expect(error?.details.first?.message.contains("already has a playbook") == true)
    }

    @Test("an unknown version is not found")
    func unknownVersion() async throws {
        let database = try await Fixture.workspace()
        let error = await #expect(throws: LinkStarError.self) { try await database.playbook(.feedback, version: 7) }
        #expect(error?.kind == .notFound)
    }
}

@Suite("Workspace on disk")
struct WorkspaceTests {
    @Test("init twice in an empty folder: the second run changes nothing")
    func initTwice() async throws {
        let folder = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let location = WorkspaceLocation.inDirectory(folder.path)
        let clock = TestClock()

        let first = try await Workspace.initialize(location, actor: "lin.wei", clock: clock.function)
        #expect(first.databaseCreated)
        #expect(first.playbookFilesWritten.count == 5)
        #expect(first.seed.layersAdded.count == 5)
        #expect(first.playbooks.entries.allSatisfy { $0.outcome.rawValue == "created" })
        let dumpBefore = try await Fixture.dump(Workspace.open(location))
        let files = try FileManager.default.contentsOfDirectory(atPath: location.playbookDirectory).sorted()
        let contents = try files.map { try Data(contentsOf: URL(fileURLWithPath: location.playbookDirectory).appendingPathComponent($0)) }

        clock.advance(seconds: 3600)
        let second = try await Workspace.initialize(location, actor: "someone.else", clock: clock.function)
        #expect(!second.changed)
        #expect(second.playbookFilesKept.count == 5)
        #expect(try await Fixture.dump(Workspace.open(location)) == dumpBefore)
        #expect(try FileManager.default.contentsOfDirectory(atPath: location.playbookDirectory).sorted() == files)
        #expect(try files.map { try Data(contentsOf: URL(fileURLWithPath: location.playbookDirectory).appendingPathComponent($0)) } == contents)
    }

    @Test("init never overwrites an edited playbook; it syncs it as a new version")
    func initKeepsEdits() async throws {
        let folder = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let location = WorkspaceLocation.inDirectory(folder.path)
        _ = try await Workspace.initialize(location, actor: "a")
        let path = URL(fileURLWithPath: location.playbookDirectory).appendingPathComponent("retention.md")
        let edited = try String(contentsOf: path, encoding: .utf8) + "- [ ] Review LINE group feedback\n"
        try edited.write(to: path, atomically: true, encoding: .utf8)
        let report = try await Workspace.initialize(location, actor: "a")
        #expect(try String(contentsOf: path, encoding: .utf8) == edited)
        #expect(report.playbooks.entries.first { $0.layer == .retention }?.version == 2)
    }

    @Test("opening a missing workspace is not found and creates no file")
    func openMissing() throws {
        let folder = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let location = WorkspaceLocation.inDirectory(folder.path)
        let error = #expect(throws: LinkStarError.self) { try Workspace.open(location) }
        #expect(error?.kind == .notFound)
        #expect(!FileManager.default.fileExists(atPath: location.databasePath))
    }

    @Test("database path: --db, else LINKSTAR_DB, else ./linkstar.sqlite; playbooks beside it")
    func resolution() {
        #expect(WorkspaceLocation.resolve(db: "/x/a.sqlite", environment: ["LINKSTAR_DB": "/y/b.sqlite"]).databasePath == "/x/a.sqlite")
        let env = WorkspaceLocation.resolve(db: nil, environment: ["LINKSTAR_DB": "/y/b.sqlite"])
        #expect(env.databasePath == "/y/b.sqlite")
        #expect(env.playbookDirectory == "/y/Playbooks")
        #expect(WorkspaceLocation.resolve(db: nil, environment: [:]).databasePath.hasSuffix("/linkstar.sqlite"))
    }

    @Test("the demo builds a team with owners, KPIs and one flagged KPI without baseline")
    func demo() async throws {
        let folder = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let location = WorkspaceLocation.inDirectory(folder.path)
        let report = try await DemoWorkspace.build(location, clock: TestClock().function)
        let database = try Workspace.open(location)
        #expect(report.people == 7)
        #expect(try await database.layers().allSatisfy { $0.owner != nil && $0.backupOwner != nil })
        let kpis = try await database.kpis()
        #expect(kpis.count == report.kpis)
        #expect(kpis.filter { $0.baseline == nil }.map(\.metric) == ["email_ctr"])
        await #expect(throws: LinkStarError.self) { try await DemoWorkspace.build(location) }
    }
}

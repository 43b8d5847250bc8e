import Foundation
@testable import LinkStarCore
import LinkStarStore
import Testing

/// The reports the API answers with are written by the one-pass JSON writer (`JSONStreamWriter`), not only by the tree
/// it steps aside for, and its bytes are the tree's, in both languages.
@Suite("One-pass JSON: the API's reports")
struct OnePassJSONTests {
    @Test("funnel, KPI status, overview, actions and their details: written in one pass, the tree's bytes")
    func reportsAreWrittenInOnePass() async throws {
        let folder = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clock = TestClock("2026-11-25T08:00:00Z")
        let location = WorkspaceLocation.inDirectory(folder.path)
        _ = try await DemoWorkspace.build(location, clock: clock.function)
        let database = try Workspace.open(location, clock: clock.function)
        let period = try DayRange(parsing: "2026-10-26..2026-11-24")

        func check<T: Encodable>(_ value: T, _ label: String) throws {
            for language in [Language.en, .zh] {
                let userInfo: [CodingUserInfoKey: Any] = language == .en ? [:] : [.language: language]
                let onePass = JSONStreamWriter(state: JSONTreeState(userInfo: userInfo)).bytes(of: value)
                #expect(onePass != nil, "\(label): the one-pass writer stepped aside")
                let state = JSONTreeState(userInfo: userInfo)
                var tree = JSONTreeWriter(pretty: false)
                tree.write(try state.node(value, path: []), indent: 0)
                #expect(onePass == tree.bytes, "\(label) in \(language)")
            }
        }
        try check(try await database.funnel(period: period, segment: .all, compare: .previous), "funnel")
        try check(try await database.funnel(period: period, segment: try Segment(parsing: "shopee/*/*"), compare: .baseline), "funnel against baselines")
        try check(try await database.kpiStatus(period: period), "KPI status")
        try check(try await database.overview(period: period, today: try Day(parsing: "2026-11-25")), "overview")
        let actions = try await database.actions()
        try check(actions, "actions")
        for action in actions { try check(try await database.action(id: action.id), "action \(action.id)") }
    }
}

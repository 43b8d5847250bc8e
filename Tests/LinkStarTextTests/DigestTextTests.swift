import Foundation
import LinkStarCore
import Testing
@testable import LinkStarStore
@testable import LinkStarText

@Suite("The daily report as a message")
struct DigestTextTests {
    static func empty(_ today: String) throws -> Digest {
        let day = try Day(parsing: today)
        let funnel = FunnelReport(from: day.adding(days: -1), to: day.adding(days: -1), compare: .previous, compareFrom: nil, compareTo: nil,
                                  segment: .all, stages: [], steps: [], retention: [], bottleneck: nil, revenue: [], revenueTotal: nil,
                                  coverageThreshold: 0.9, newSegments: [], goneSegments: [], notes: [])
        return Digest(today: day, yesterday: funnel, week: funnel, kpis: [], reviews: [], actionsAwaitingEvaluation: [], followupsDue: [],
                      decays: [], staleSeries: [])
    }

    @Test("owners are mentioned once each with their chat identity; lists are cut at ten; a quiet day says so, in both languages")
    func message() throws {
        var digest = try Self.empty("2026-11-27")
        let quiet = DigestText.message(digest, Reader(language: .zh))
        #expect(quiet.title == "LinkStar 日报 2026-11-26" && quiet.lines.last == "今天没有需要处理的事项。" && quiet.mentions.isEmpty)
        #expect(DigestText.message(digest, Reader(language: .en)).lines.last == "Nothing needs anyone today.")

        digest.staleSeries = try (1...12).map { StaleSeries(metric: "sessions", segment: try Segment(channel: "shop\($0)", market: "MY", device: "mobile"),
                                                            lastDay: try Day(parsing: "2026-11-20"), daysBehind: 7) }
        digest.followupsDue = [.init(id: 4, title: "Video", layer: .landing, owner: "wang.fang", detail: "+30d due 2026-11-20"),
                               .init(id: 5, title: "Badges", layer: .conversion, owner: "wang.fang", detail: "+7d due 2026-11-21")]
        let identity = ChatIdentity(dingtalkMobile: "13800000001")
        let message = DigestText.message(digest, Reader(language: .en), identities: ["wang.fang": identity], link: "https://ls.example.com/")
        #expect(message.mentions == [.init(handle: "wang.fang", identity: identity)], "one mention per person")
        #expect(message.lines.contains("#4 Video (+30d due 2026-11-20), owner @{wang.fang}"))
        #expect(message.lines.filter { $0.hasPrefix("sessions shop") }.count == 10 && message.lines.contains("… and 2 more"))
        #expect(message.link == "https://ls.example.com/")
        #expect(DigestText.plain(message).contains("owner @wang.fang\n"))
    }
}

import Foundation
import Testing
@testable import LinkStarCore

@Suite("Notifications: channels, identities, delivery rules")
struct NotifyTests {
    @Test("channel names, kinds, URLs and secrets are validated; a robot URL is shown without its token")
    func channelInputs() throws {
        #expect(try ChannelKind.parse("DingTalk") == .dingtalk)
        #expect(throws: LinkStarError.self) { try ChannelKind.parse("wechat") }
        #expect(try ChannelName.validate(" Ops-Daily ") == "ops-daily")
        for bad in ["", String(repeating: "a", count: 41), "ops daily", "运营群", "ops/1"] {
            #expect(throws: LinkStarError.self, "\(bad)") { try ChannelName.validate(bad) }
        }
        #expect(try ChannelURL.validate("https://oapi.dingtalk.com/robot/send?access_token=abc").host == "oapi.dingtalk.com")
        #expect(try ChannelURL.validate("http://127.0.0.1:9000/hook").port == 9000)
        for bad in ["http://example.com/hook", "ftp://example.com", "https://user:pw@example.com/x", "not a url", "https://", "https://a\u{200B}.com"] {
            #expect(throws: LinkStarError.self, "\(bad)") { try ChannelURL.validate(bad) }
        }
        let shown = ChannelURL.redacted(try ChannelURL.validate("https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef"))
        #expect(shown == "https://oapi.dingtalk.com/robot/…?…" && !shown.contains("0123"))
        #expect(ChannelURL.redacted(try ChannelURL.validate("https://hooks.slack.com/services/T000/B000/XXXXSECRET")) == "https://hooks.slack.com/services/…")
        #expect(try ChannelSecret.validate("SEC0123abc") == "SEC0123abc")
        for bad in ["", "has space", "密钥", String(repeating: "x", count: 201)] { #expect(throws: LinkStarError.self) { try ChannelSecret.validate(bad) } }
    }

    @Test("chat identities: each field's form; a mention uses the kind's preferred identity")
    func identities() throws {
        #expect(try ChatIdentity.Field.dingtalkMobile.validate("+8613800000001") == "+8613800000001")
        #expect(try ChatIdentity.Field.feishuOpenId.validate("ou_7d8a6e6df7621556ce0d21922b676706").hasPrefix("ou_"))
        #expect(try ChatIdentity.Field.slackId.validate("U024BE7LH") == "U024BE7LH")
        #expect(try ChatIdentity.Field.wecomUser.validate("ChenJie") == "ChenJie")
        for (field, bad) in [(ChatIdentity.Field.dingtalkMobile, "138-0000"), (.dingtalkMobile, "12345"), (.feishuOpenId, "on_abc"),
                             (.slackId, "chen"), (.wecomUser, "陈杰"), (.dingtalkUserId, ""), (.wecomUser, String(repeating: "a", count: 65))] {
            #expect(throws: LinkStarError.self, "\(field) \(bad)") { try field.validate(bad) }
        }
        let both = ChatIdentity(dingtalkMobile: "13800000001", dingtalkUserId: "manager4567")
        #expect(both.mention(for: .dingtalk)?.value == "manager4567", "a user id is preferred over a mobile")
        #expect(ChatIdentity(dingtalkMobile: "13800000001").mention(for: .dingtalk)?.field == .dingtalkMobile)
        #expect(both.mention(for: .feishu) == nil && both.mention(for: .webhook) == nil)
    }

    @Test("a line's mentions: only people the message mentions; anything else stays text")
    func pieces() {
        let message = ChatMessage(title: "t", lines: [], mentions: [.init(handle: "chen.jie", identity: ChatIdentity())])
        #expect(message.pieces(of: "owner @{chen.jie}, cc @{li.na} and @{") ==
                [.text("owner "), .mention("chen.jie"), .text(", cc @{li.na} and @{")])
        #expect(message.pieces(of: "@{chen.jie}@{chen.jie}") == [.mention("chen.jie"), .mention("chen.jie")])
        #expect(message.pieces(of: "") == [])
    }

    @Test("backoff doubles from 30 s to an hour and honours Retry-After; answers are read per vendor")
    func delivery() {
        #expect((1...8).map { DeliveryPolicy.delay(afterAttempt: $0) } == [30, 60, 120, 240, 480, 960, 1_920, 3_600])
        #expect(DeliveryPolicy.delay(afterAttempt: 1, retryAfter: 90) == 90 && DeliveryPolicy.delay(afterAttempt: 99) == 3_600)
        #expect(DeliveryPolicy.delay(afterAttempt: Int.min) == 30 && DeliveryPolicy.delay(afterAttempt: 1, retryAfter: Int.max) == 3_600)
        func classify(_ kind: ChannelKind, _ status: Int, _ body: String, _ retryAfter: String? = nil) -> DeliveryResult {
            DeliveryPolicy.classify(kind, status: status, body: Data(body.utf8), retryAfter: retryAfter)
        }
        #expect(classify(.dingtalk, 200, #"{"errcode":0,"errmsg":"ok"}"#) == .delivered)
        #expect(classify(.dingtalk, 200, #"{"errcode":310000,"errmsg":"sign not match"}"#) == .retry(reason: "errcode 310000: sign not match", after: nil))
        #expect(classify(.feishu, 200, #"{"code":19021,"data":{},"msg":"sign match fail or timestamp is not within one hour from current time"}"#)
                == .retry(reason: "code 19021: sign match fail or timestamp is not within one hour from current time", after: nil))
        #expect(classify(.feishu, 200, #"{"code":0,"data":{},"msg":"success"}"#) == .delivered)
        #expect(classify(.feishu, 200, #"{"StatusCode":0,"StatusMessage":"success"}"#) == .delivered)
        #expect(classify(.wecom, 200, #"{"errcode":45009,"errmsg":"api freq out of limit"}"#) == .retry(reason: "errcode 45009: api freq out of limit", after: nil))
        #expect(classify(.slack, 200, "ok") == .delivered)
        #expect(classify(.slack, 429, "rate_limited", "30") == .retry(reason: "HTTP 429 (rate limited)", after: 30))
        #expect(classify(.slack, 404, "no_service") == .failed(reason: "HTTP 404: no_service"))
        #expect(classify(.webhook, 204, "") == .delivered && classify(.webhook, 503, "", "x") == .retry(reason: "HTTP 503", after: nil))
        #expect(classify(.dingtalk, 200, "<html>") == .retry(reason: "no errcode in the answer: <html>", after: nil))
    }
}

@Suite("Notification schedule and rate limits")
struct NotifyScheduleTests {
    func date(_ text: String) -> Date { LinkStarJSON.parseTimestamp(text)! }

    @Test("digest_time: HH:MM within the day, or off; anything else is refused")
    func digestTime() throws {
        #expect(try DigestTime.parse("9:05")?.description == "09:05")
        #expect(try DigestTime.parse(" 23:59 ")?.description == "23:59")
        #expect(try DigestTime.parse("OFF") == nil)
        for bad in ["24:00", "12:60", "-1:00", "9", "9:5:0", "０9:00", "", "9:"] {
            #expect(throws: LinkStarError.self, "\(bad)") { _ = try DigestTime.parse(bad) }
        }
        #expect(try WorkspaceSetting.digestTime.normalise("7:30") == "07:30")
        #expect(try WorkspaceSetting.digestTime.normalise("off") == "off")
    }

    @Test("public_url: http(s) without credentials, query or fragment; none clears")
    func publicURL() throws {
        #expect(try PublicURL.parse("https://linkstar.example.com/team/")?.absoluteString == "https://linkstar.example.com/team/")
        #expect(try PublicURL.parse("none") == nil && PublicURL.parse("") == nil)
        for bad in ["ftp://x.example", "https://user:pw@x.example", "https://x.example/?a=1", "linkstar.example.com", "https://"] {
            #expect(throws: LinkStarError.self, "\(bad)") { _ = try PublicURL.parse(bad) }
        }
        #expect(PublicURL.link("https://a.example/", "/kpis/3") == "https://a.example/kpis/3")
        #expect(PublicURL.link("https://a.example/team", "/") == "https://a.example/team/")
    }

    @Test("the local day and the digest's due day follow the zone: 2026-11-07T16:30Z is Nov 8 00:30 in Shanghai, Nov 7 11:30 in New York")
    func localDays() throws {
        let shanghai = TimeZone(identifier: "Asia/Shanghai")!, newYork = TimeZone(identifier: "America/New_York")!
        let nine = try #require(try DigestTime.parse("09:00"))
        #expect(NotifySchedule.localDay(date("2026-11-07T16:30:00Z"), zone: shanghai).description == "2026-11-08")
        #expect(NotifySchedule.localDay(date("2026-11-07T16:30:00Z"), zone: newYork).description == "2026-11-07")
        #expect(NotifySchedule.digestDay(date("2026-11-07T16:30:00Z"), zone: shanghai, time: nine) == nil)
        #expect(NotifySchedule.digestDay(date("2026-11-08T00:59:59Z"), zone: shanghai, time: nine) == nil)
        #expect(NotifySchedule.digestDay(date("2026-11-08T01:00:00Z"), zone: shanghai, time: nine)?.description == "2026-11-08")
        #expect(NotifySchedule.digestDay(date("2026-11-07T16:30:00Z"), zone: newYork, time: nine)?.description == "2026-11-07")
        #expect(NotifySchedule.digestDay(date("2026-11-07T23:59:00Z"), zone: .gmt, time: nil) == nil)
    }

    @Test("rate limits: the next slot opens when the oldest request that still counts leaves the window (and its margin)")
    func nextSlot() {
        let now = date("2026-11-07T10:00:00Z")
        let minute = (count: 20, seconds: 60)
        // 19 requests in the last minute: free now.
        let nineteen = (1...19).map { now.addingTimeInterval(-Double($0)) }
        #expect(NotifySchedule.nextSlot(recentStarts: nineteen, limit: minute, now: now) == now)
        // 20 requests, the oldest 50 s ago: the slot opens in 10 s and the 0.25 s margin for arrival jitter.
        let twenty = (0..<20).map { now.addingTimeInterval(-50 + Double($0)) }
        #expect(NotifySchedule.nextSlot(recentStarts: twenty, limit: minute, now: now) == now.addingTimeInterval(10.25))
        // Requests older than the window do not count.
        let old = (0..<40).map { now.addingTimeInterval(-61 - Double($0)) }
        #expect(NotifySchedule.nextSlot(recentStarts: old, limit: minute, now: now) == now)
        // Feishu, 5 a second: 7 in the last second; the 5th newest, 0.6 s ago, leaves the window (1.25 s) in 0.65 s.
        let burst = [0.1, 0.2, 0.4, 0.5, 0.6, 0.7, 0.9].map { now.addingTimeInterval(-$0) }
        let slot = NotifySchedule.nextSlot(recentStarts: burst, limit: (5, 1), now: now)
        #expect(abs(slot.timeIntervalSince(now) - 0.65) < 1e-6)
    }
}

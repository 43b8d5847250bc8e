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

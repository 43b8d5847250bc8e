import Foundation
import LinkStarCore
import Testing
@testable import LinkStarFormats

/// The requests each chat vendor receives: signed exactly as documented (checked against vectors computed by
/// `Tests/Fixtures/reference/make_chat_signature_vectors.py` with Python's own hmac/base64/urllib), shaped as documented.
@Suite("Chat requests and signatures")
struct ChatRequestTests {
    struct Vectors: Decodable {
        struct Signed: Decodable { var timestamp: String; var secret: String; var sign: String }
        struct Webhook: Decodable { var timestamp: String; var secret: String; var body: String; var signature: String }
        var dingtalk: [Signed]
        var feishu: [Signed]
        var webhook: [Webhook]
    }

    static let vectors: Vectors = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/reference/chat_signatures.json")
        return try! JSONDecoder().decode(Vectors.self, from: Data(contentsOf: url))
    }()

    static func object(_ data: Data) throws -> [String: Any] { try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any]) }

    static let message = ChatMessage(
        title: "LinkStar 日报 2026-11-26",
        lines: ["瓶颈：结账 → 支付订单 71.9% → 69.8%，负责人 @{chen.jie}", "未达标 KPI：@{wang.fang} 转化率 shopee/MY/* 2.47%", "@{nobody} 不在名单里"],
        mentions: [.init(handle: "chen.jie", identity: ChatIdentity(dingtalkMobile: "13800000001", feishuOpenId: "ou_7d8a6e6df7621556ce0d21922b676706",
                                                                    wecomUser: "ChenJie", slackId: "U024BE7LH")),
                   .init(handle: "wang.fang", identity: ChatIdentity(dingtalkUserId: "manager4567"))],
        link: "https://linkstar.example.com/")

    @Test("DingTalk 加签, Feishu 签名校验 and the webhook HMAC equal the reference vectors")
    func signatures() {
        #expect(Self.vectors.dingtalk.count == 20 && Self.vectors.feishu.count == 20 && Self.vectors.webhook.count == 20)
        for v in Self.vectors.dingtalk { #expect(ChatSigning.dingtalk(timestamp: v.timestamp, secret: v.secret) == v.sign, "\(v.timestamp) \(v.secret)") }
        for v in Self.vectors.feishu { #expect(ChatSigning.feishu(timestamp: v.timestamp, secret: v.secret) == v.sign, "\(v.timestamp) \(v.secret)") }
        for v in Self.vectors.webhook {
            #expect(ChatSigning.webhook(timestamp: v.timestamp, body: Data(v.body.utf8), secret: v.secret) == v.signature)
        }
    }

    @Test("DingTalk: markdown, mentions in at.atMobiles / at.atUserIds and in the text, timestamp (ms) and sign on the URL")
    func dingtalk() throws {
        let v = Self.vectors.dingtalk[1]
        let now = Date(timeIntervalSince1970: Double(Int64(v.timestamp)!) / 1000)
        let request = try ChatRequest.build(.dingtalk, url: URL(string: "https://oapi.dingtalk.com/robot/send?access_token=abc")!, secret: v.secret,
                                            message: Self.message, now: now)
        #expect(request.url.absoluteString == "https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=\(v.timestamp)&sign=\(v.sign)")
        let body = try Self.object(request.body)
        #expect(body["msgtype"] as? String == "markdown")
        let at = try #require(body["at"] as? [String: Any])
        #expect(at["atMobiles"] as? [String] == ["13800000001"] && at["atUserIds"] as? [String] == ["manager4567"] && at["isAtAll"] as? Bool == false)
        let text = try #require((body["markdown"] as? [String: Any])?["text"] as? String)
        #expect(text.contains("负责人 @13800000001") && text.contains("@manager4567 转化率") && text.contains("@{nobody} 不在名单里"))
        #expect(text.hasPrefix("### LinkStar 日报") && text.contains("(https://linkstar.example.com/)"))
        // Without a secret the URL is left as it is.
        #expect(try ChatRequest.build(.dingtalk, url: URL(string: "https://oapi.dingtalk.com/robot/send?access_token=abc")!, secret: nil,
                                      message: Self.message, now: now).url.absoluteString == "https://oapi.dingtalk.com/robot/send?access_token=abc")
    }

    @Test("Feishu: post with an at element per mention; timestamp (s) and sign in the body")
    func feishu() throws {
        let v = Self.vectors.feishu[2]
        let request = try ChatRequest.build(.feishu, url: URL(string: "https://open.feishu.cn/open-apis/bot/v2/hook/xyz")!, secret: v.secret,
                                            message: Self.message, now: Date(timeIntervalSince1970: Double(v.timestamp)! + 0.9))
        let body = try Self.object(request.body)
        #expect(body["timestamp"] as? String == v.timestamp && body["sign"] as? String == v.sign && body["msg_type"] as? String == "post")
        let post = try #require(((body["content"] as? [String: Any])?["post"] as? [String: Any])?["zh_cn"] as? [String: Any])
        #expect(post["title"] as? String == "LinkStar 日报 2026-11-26")
        let paragraphs = try #require(post["content"] as? [[[String: Any]]])
        #expect(paragraphs.count == 4, "three lines and the link")
        #expect(paragraphs[0].last?["tag"] as? String == "at" && paragraphs[0].last?["user_id"] as? String == "ou_7d8a6e6df7621556ce0d21922b676706")
        #expect(paragraphs[1].first?["text"] as? String == "未达标 KPI：" && paragraphs[1][1]["text"] as? String == "@wang.fang", "no Feishu id: plain text")
        #expect(paragraphs[3].first?["tag"] as? String == "a" && paragraphs[3].first?["href"] as? String == "https://linkstar.example.com/")
    }

    @Test("WeCom: markdown with <@userid>; Slack: text and blocks with <@U…>; the webhook: the document, signed in a header")
    func otherKinds() throws {
        let now = Date(timeIntervalSince1970: 1_795_000_000)
        let wecom = try Self.object(try ChatRequest.build(.wecom, url: URL(string: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k")!,
                                                          secret: nil, message: Self.message, now: now).body)
        #expect(wecom["msgtype"] as? String == "markdown")
        let content = try #require((wecom["markdown"] as? [String: Any])?["content"] as? String)
        #expect(content.contains("负责人 <@ChenJie>") && content.contains("@wang.fang"))
        let slack = try Self.object(try ChatRequest.build(.slack, url: URL(string: "https://hooks.slack.com/services/T/B/X")!, secret: nil,
                                                          message: Self.message, now: now).body)
        #expect((slack["text"] as? String)?.contains("负责人 <@U024BE7LH>") == true)
        let blocks = try #require(slack["blocks"] as? [[String: Any]])
        #expect(blocks.map { $0["type"] as? String } == ["header", "section"])
        let v = Self.vectors.webhook[3]
        let hook = try ChatRequest.build(.webhook, url: URL(string: "https://ops.example.com/linkstar")!, secret: v.secret, message: Self.message,
                                         document: Data(v.body.utf8), now: Date(timeIntervalSince1970: Double(v.timestamp)!))
        #expect(hook.body == Data(v.body.utf8))
        #expect(hook.headers["X-LinkStar-Signature"] == "sha256=" + v.signature && hook.headers["X-LinkStar-Timestamp"] == v.timestamp)
    }
}

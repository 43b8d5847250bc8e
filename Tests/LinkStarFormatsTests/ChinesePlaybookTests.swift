import LinkStarCore
import LinkStarFormats
import LinkStarPlaybooks
import Testing

@Suite("Chinese playbooks")
struct ChinesePlaybookTests {
    @Test("each Chinese SOP has the structure of its English one: layer, cadence, review day, required and optional items")
    func sameStructure() throws {
        #expect(DefaultPlaybooks.chinese.map(\.fileName) == DefaultPlaybooks.all.map(\.fileName))
        for (english, chinese) in zip(DefaultPlaybooks.all, DefaultPlaybooks.chinese) {
            let en = try PlaybookParser.parse(english.markdown, file: english.fileName)
            let zh = try PlaybookParser.parse(chinese.markdown, file: chinese.fileName)
            #expect(zh.layer == en.layer && zh.cadence == en.cadence && zh.reviewDay == en.reviewDay, "\(chinese.fileName)")
            #expect(zh.checklist.count == en.checklist.count, "\(chinese.fileName)")
            #expect(zh.checklist.map(\.optional) == en.checklist.map(\.optional), "\(chinese.fileName)")
            #expect(zh.checklist.allSatisfy { !$0.text.contains("可选") }, "the marker is not part of the item")
            for heading in ["## 目标", "## 分工", "## 日常节奏", "## 用到的指标", "## 常见误区", "## 复盘清单"] {
                #expect(chinese.markdown.contains(heading), "\(chinese.fileName) lacks \(heading)")
            }
        }
    }

    @Test("a team's own playbook may use either heading and either optional marker")
    func eitherLanguage() throws {
        let mixed = """
        ---
        layer: traffic
        title: 流量层
        review: {cadence: weekly}
        ---
        ## 复盘检查清单
        - [ ] 检查 roas
        - [ ] 看竞品（可选）
        - [ ] Look at the search terms (optional)
        """
        let document = try PlaybookParser.parse(mixed, file: "traffic.md")
        #expect(document.checklist.map(\.optional) == [false, true, true])
        #expect(document.checklist[1].text == "看竞品")
    }
}

extension Catalog {
    /// Names of values (statuses, verdicts, roles, layers, units …), table headers and short labels.
    /// The glossary in the README lists the status and verdict terms.
    static let terms: [(en: String, zh: String)] = [
        // KPI status
        ("on-track", "达标"), ("at-risk", "预警"), ("off-track", "未达标"), ("no-data", "无数据"), ("no-baseline", "无基线"),
        // Verdicts
        ("won", "胜出"), ("lost", "落败"), ("inconclusive", "不显著"),
        // Action lifecycle
        ("proposed", "待启动"), ("running", "进行中"), ("measuring", "观察中"), ("evaluated", "已评估"), ("replicated", "已推广"),
        ("rolled-back", "已回滚"), ("archived", "已归档"), ("cancelled", "已取消"),
        ("replicate", "推广"), ("roll-back", "回滚"), ("archive", "归档"),
        ("start", "启动"), ("stop", "停止"), ("cancel", "取消"), ("edit", "修改"), ("evaluate", "评估"), ("followup", "回访"),
        ("conclude (archive)", "下结论（归档）"), ("conclude (roll-back)", "下结论（回滚）"),
        ("conclude (roll-back or archive)", "下结论（回滚或归档）"), ("evaluate (again)", "（再次）评估"),
        ("conclude (replicate, roll-back or archive)", "下结论（推广、回滚或归档）"), ("replicate (to another segment)", "推广（到其他细分）"),
        // Action kinds
        ("ab-test", "A/B 测试"), ("page", "页面"), ("pricing", "定价"), ("promotion", "促销"), ("ads", "广告"), ("email", "邮件"), ("other", "其他"),
        // Event kinds
        ("promo", "大促"), ("holiday", "节假日"), ("platform", "平台变动"), ("stockout", "断货"), ("outage", "故障"),
        // Metric units, directions, sources, aggregation
        ("count", "计数"), ("currency", "金额"), ("ratio", "比率"), ("seconds", "秒"),
        ("up", "越高越好"), ("down", "越低越好"),
        ("observations", "导入数据"), ("workspace", "LinkStar 记录"),
        ("rate", "比率"), ("daily_average", "日均值"), ("period_total", "周期合计"),
        ("/day", "/天"), (" per period", " /周期"),
        ("a rate over the cells (segment × day) that report every part of the formula", "只在公式各部分都有数据的单元格（细分 × 天）上计算的比率"),
        ("a daily average: the period's total divided by the days with data", "日均值：周期合计除以有数据的天数"),
        ("a total over the period, counted from LinkStar's own records", "周期合计：由 LinkStar 自己的记录统计"),
        // Review cadence and state
        ("weekly", "每周"), ("biweekly", "每两周"), ("monthly", "每月"), ("quarterly", "每季度"),
        ("done", "已完成"), ("open", "进行中"), ("due", "待复盘"), ("overdue", "已逾期"), ("unscheduled", "未排期"), ("upcoming", "未到期"),
        ("closed", "已关闭"), ("funnel", "全漏斗"),
        // Outbox states, attempt outcomes, alert kinds, message topics
        ("pending", "待发送"), ("sending", "发送中"), ("delivered", "已送达"), ("failed", "发送失败"), ("retry", "待重试"), ("interrupted", "已中断"),
        ("review_overdue", "复盘逾期"), ("review_past_grace", "复盘超过宽限期"), ("decay", "效果衰减"), ("stale", "数据未更新"),
        ("kpi_off_track", "KPI 未达标"), ("digest", "日报"), ("alert", "提醒"), ("test", "测试"),
        // Roles
        ("admin", "管理员"), ("editor", "编辑"), ("viewer", "只读"),
        // Comparisons, purposes, outcomes, item sources
        ("previous", "上一周期"), ("baseline", "基线"), ("yoy", "同比"),
        ("evaluation", "评估"),
        ("created", "已创建"), ("updated", "已更新"), ("unchanged", "未变化"), ("imported", "已导入"), ("dry-run", "试运行"),
        ("Created", "已创建"), ("Updated", "已更新"), ("Unchanged", "未变化"),
        ("playbook", "SOP"), ("kpi", "KPI"), ("action", "动作"), ("data", "数据"), ("owner", "负责人"), ("layer", "层"),
        // Layers: in Chinese their names
        ("traffic", "流量层"), ("landing", "承接层"), ("conversion", "转化层"), ("retention", "留存层"), ("feedback", "反哺层"),
        ("Traffic", "流量层"), ("Landing", "承接层"), ("Conversion", "转化层"), ("Retention", "留存层"), ("Feedback", "反哺层"),
        ("Where visitors come from: ads, SEO, social, email", "访客从哪里来：广告、搜索、社媒、邮件"),
        ("Landing page, navigation, search match", "落地页、导航、搜索匹配"),
        ("Add to cart, checkout, payment", "加购、结账、支付"),
        ("After-sales, membership, email/CRM", "售后、会员、邮件/CRM"),
        ("Data collection, attribution, strategy tuning", "数据采集、归因、策略调整"),
        // Nouns used in messages
        ("status", "状态"), ("decision", "决定"), ("kind", "类型"), ("event kind", "事件类型"), ("direction", "方向"), ("unit", "单位"),
        ("cadence", "复盘周期"), ("comparison", "对比方式"), ("setting", "设置项"), ("language", "语言"), ("person", "成员"),
        ("metric", "指标"), ("review scope", "复盘范围"), ("role", "角色"), ("format", "格式"), ("finding", "发现"),
        ("before", "前"), ("after", "后"), ("control", "对照组"), ("treatment", "实验组"),
        ("control before", "对照组前"), ("control after", "对照组后"), ("treatment before", "实验组前"), ("treatment after", "实验组后"),
        ("invalid", "无效"), ("deactivated", "已停用"), ("exists", "已存在"),
        ("started", "已启动"), ("followed up", "已回访"), ("from this review", "本次复盘提出"),
        ("problem", "口径问题"), ("nobody", "无人"), ("yes", "是"), ("no", "否"), ("none", "无"), ("no (deactivated)", "否（已停用）"),
        ("(unowned)", "（无负责人）"), ("(none)", "（无）"), ("(optional)", "(可选)"), ("(default)", "（默认）"),
        ("(always)", "（始终）"), ("(no playbook)", "（无 SOP）"), ("(LinkStar records)", "（LinkStar 记录）"), ("(observed)", "（导入）"),
        ("{0} partial", "{0} 部分"), ("{0} pp", "{0}个百分点"), ("{0} of target", "目标的 {0}"), ("{0} d", "{0} 天"), ("+{0} d", "+{0} 天"),
        ("by {0}", "由 {0}"), ("clean", "通过"), ("1 problem", "1 个问题"), ("{0} problems", "{0} 个问题"),
        ("1 row", "1 行"), ("{0} rows", "{0} 行"),
        // Table headers
        ("ID", "编号"), ("LAYER", "层"), ("METRIC", "指标"), ("SEGMENT", "细分"), ("OWNER", "负责人"), ("CURRENT", "当前值"),
        ("COVERAGE", "覆盖率"), ("BASELINE", "基线"), ("TARGET", "目标"), ("DELTA", "差值"), ("STATUS", "状态"), ("BAND", "预警带"),
        ("STAGE", "阶段"), ("VOLUME", "量"), ("BEFORE", "对比期"), ("STEP", "环节"), ("RATE", "转化率"), ("LIKE-FOR-LIKE", "同口径"),
        ("CHANGE", "变化"), ("BACKUP", "备份负责人"), ("PLAYBOOK", "SOP"), ("REVIEW", "复盘"), ("KPIS", "KPI 数"), ("SCOPE", "范围"),
        ("CADENCE", "周期"), ("LAST", "上次"), ("PERIOD DUE", "应复盘周期"), ("DUE ON", "到期日"), ("OVERDUE", "逾期"), ("NEXT", "下次"),
        ("KPI", "KPI"), ("VERDICT", "结论"), ("TITLE", "标题"), ("IN PERIOD", "本期"), ("ICE", "ICE"), ("KIND", "类型"),
        ("VARIANT", "版本"), ("EXPOSURES", "曝光数"), ("CONVERSIONS", "转化数"), ("CHECKPOINT", "检查点"), ("DUE", "到期"), ("DONE", "完成"),
        ("DECAYED", "已衰减"), ("AT", "时间"), ("BY", "操作人"), ("ACTION", "操作"), ("ACTOR", "操作人"), ("ENTITY", "对象"),
        ("KEY", "设置项"), ("VALUE", "值"), ("MEANING", "含义"), ("LAST DAY", "最新日期"), ("DAYS BEHIND", "滞后天数"), ("MISSING", "缺失"),
        ("FIRST GAPS", "最早的缺口"), ("RULE", "规则"), ("DAY", "日期"), ("VS", "对比"), ("FROM", "开始"), ("TO", "结束"),
        ("CURRENCY", "币种"), ("SET BY", "设置人"), ("P", "p 值"), ("SOURCE", "来源"), ("FILE", "文件"), ("FORMAT", "格式"),
        ("ROWS", "行数"), ("INSERTED", "新增"), ("UPDATED", "更新"), ("UNCHANGED", "未变"), ("REJECTED", "拒收"), ("HASH", "哈希"),
        ("REVERTED", "已撤销"), ("NAME", "名称"), ("UNIT", "单位"), ("GOOD", "方向"), ("FORMULA", "公式"), ("HANDLE", "账号"),
        ("ROLE", "角色"), ("ACTIVE", "在职"), ("OS USER", "系统账户"), ("CONTACT", "联系方式"), ("OUTCOME", "结果"), ("VERSION", "版本"),
        ("CHECKLIST", "清单"), ("SYNCED BY", "同步人"), ("PERIOD", "周期"), ("OPEN ITEMS", "未勾选项"), ("CLOSED BY", "关闭人"),
        ("PERSON", "成员"), ("PREFIX", "前缀"), ("LABEL", "备注"), ("CREATED", "创建时间"), ("REVOKED", "撤销时间"),
    ]
}

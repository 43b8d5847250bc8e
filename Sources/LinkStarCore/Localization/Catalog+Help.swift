extension Catalog {
    /// `--help`: command abstracts, discussions and option help, and the argument parser's own headings.
    static let help: [(en: String, zh: String)] = [
        // The argument parser's headings and fixed lines (translated line by line in help output)
        ("OVERVIEW: {0}", "概述：{0}"), ("USAGE: {0}", "用法：{0}"), ("OPTIONS:", "选项："), ("ARGUMENTS:", "参数："),
        ("SUBCOMMANDS:", "子命令："), ("  -h, --help              Show help information.", "  -h, --help              显示帮助信息。"),
        ("  --version               Show the version.", "  --version               显示版本号。"),
        ("  See 'linkstar help <subcommand>' for detailed help.", "  详细帮助请看 'linkstar help <subcommand>'。"),
        ("  See 'linkstar help {0} <subcommand>' for detailed help.", "  详细帮助请看 'linkstar help {0} <subcommand>'。"),
        ("(default: {0})", "（默认：{0}）"),
        // Root
        ("Run a cross-border e-commerce growth funnel as a managed process: owners, KPIs, SOP playbooks, audit.",
         "把跨境电商增长漏斗当作一套管理流程来运行：负责人、KPI、SOP、审计。"),
        ("Workspace database (default: $LINKSTAR_DB, else ./linkstar.sqlite).", "工作区数据库（默认：$LINKSTAR_DB，否则 ./linkstar.sqlite）。"),
        ("Who is acting, recorded in the audit log (default: $LINKSTAR_USER, else the OS user).", "操作人，记入审计日志（默认：$LINKSTAR_USER，否则系统账户）。"),
        ("Print one JSON document (snake_case, ISO 8601 dates) instead of a table.", "输出一个 JSON 文档（snake_case，ISO 8601 日期），而不是表格。"),
        ("last-7d | last-30d | YYYY-MM | YYYY-Www | FROM..TO (default last-7d, ending yesterday).", "last-7d | last-30d | YYYY-MM | YYYY-Www | FROM..TO（默认 last-7d，截至昨天）。"),
        ("First day (with --to).", "第一天（与 --to 一起用）。"), ("Last day (with --from).", "最后一天（与 --from 一起用）。"),
        ("Treat this day as today (YYYY-MM-DD), for repeatable reports.", "把这一天当作今天（YYYY-MM-DD），用于可复现的报表。"),
        ("Treat this day as today (YYYY-MM-DD).", "把这一天当作今天（YYYY-MM-DD）。"),
        ("Treat this day as today.", "把这一天当作今天。"),
        ("Treat this day as today (for relative periods).", "把这一天当作今天（用于相对周期）。"),
        // action
        ("Optimization actions: log, start, stop, record A/B counts, evaluate, conclude, follow up, replicate.", "优化动作：登记、启动、停止、记录 A/B 数据、评估、下结论、回访、推广。"),
        ("Lifecycle: proposed → running → measuring → evaluated → replicated | rolled-back | archived; cancelled at any step before evaluated.",
         "生命周期：待启动 → 进行中 → 观察中 → 已评估 → 已推广 | 已回滚 | 已归档；评估之前的任何一步都可以取消。"),
        ("Log a proposed action; prints its id.", "登记一个待启动的动作；输出它的编号。"),
        ("List actions (proposed ones ranked by ICE).", "列出动作（待启动的按 ICE 排序）。"),
        ("Only this status.", "只看这个状态。"), ("Only this layer.", "只看这一层。"), ("Only this owner.", "只看这个负责人。"),
        ("Show an action with its evaluations, follow-ups and history.", "显示一个动作及其评估、回访和历史。"),
        ("Action id.", "动作编号。"), ("proposed → running.", "待启动 → 进行中。"), ("Start day (default today).", "开始日（默认今天）。"),
        ("running → measuring.", "进行中 → 观察中。"), ("Stop day (default today).", "停止日（默认今天）。"),
        ("Record an A/B variant's exposures and conversions.", "记录一个 A/B 版本的曝光数和转化数。"),
        ("control | treatment | another variant name.", "control | treatment | 其他版本名。"),
        ("Visitors exposed.", "曝光的访客数。"), ("Visitors who converted.", "转化的访客数。"),
        ("Evaluate a measured action: A/B z-test with SRM check, or before/after (z-test for rates, Welch's t for means), or difference-in-differences with a control segment.",
         "评估观察中的动作：A/B z 检验（含样本比例检查），或前后对比（比率用 z 检验，均值用 Welch t 检验），或带对照组的双重差分。"),
        ("Conclude: replicate (won only) | roll-back | archive, with a reason.", "下结论：推广（仅限胜出）| 回滚 | 归档，并写明原因。"),
        ("replicate | roll-back | archive", "replicate（推广）| roll-back（回滚）| archive（归档）"),
        ("Why.", "原因。"),
        ("Follow-up checkpoints in days after the stop day (won actions; default 7,30,90).", "停止日之后的回访检查点天数（胜出的动作；默认 7,30,90）。"),
        ("Run the follow-up checkpoints that are due: re-measure and flag decay.", "执行到期的回访检查点：重新测量并标出效果衰减。"),
        ("Change a proposed action's plan: title, hypothesis, expected effect, ICE, owner (audited).", "修改待启动动作的计划：标题、假设、预期效果、ICE、负责人（记入审计）。"),
        ("New title.", "新标题。"), ("New hypothesis.", "新假设。"), ("New expected effect.", "新的预期效果。"),
        ("New impact,confidence,ease (each 1-10).", "新的 影响,信心,难易（各 1-10）。"), ("New owner handle.", "新负责人账号。"),
        ("Cancel an action before it is evaluated (a mistake, or overtaken by events).", "在评估之前取消动作（登记错了，或情况变了）。"),
        ("Why (kept with the action and in the audit log).", "原因（随动作保存，并记入审计日志）。"),
        ("Create a linked action for another market or channel.", "为另一个站点或渠道创建关联的动作。"),
        ("channel/market/device to replicate to.", "要推广到的 渠道/站点/设备。"),
        ("What the change is.", "改动是什么。"), ("The layer it belongs to.", "所属的层。"), ("The KPI's metric it targets.", "针对的 KPI 指标。"),
        ("channel/market/device it changes (default */*/*).", "改动影响的 渠道/站点/设备（默认 */*/*）。"),
        ("ab-test | page | pricing | promotion | ads | email | other", "ab-test | page | pricing | promotion | ads | email | other（测试、页面、定价、促销、广告、邮件、其他）"),
        ("What should change, and why.", "应该改变什么，为什么。"), ("Owner (default: the layer owner).", "负责人（默认：层负责人）。"),
        ("Impact,Confidence,Ease, each 1-10.", "影响,信心,难易，各 1-10。"),
        ("The expected effect, e.g. \"+10% cart_to_checkout_rate\".", "预期效果，例如 \"+10% cart_to_checkout_rate\"。"),
        ("A segment the change does not touch, for difference-in-differences.", "不受改动影响的细分，用于双重差分。"),
        ("Days after start excluded from the after window (default 0).", "开始后不计入观察窗口的天数（默认 0）。"),
        ("An explicit before window FROM..TO (default: the same length right before start).", "指定对照前窗口 FROM..TO（默认：开始前同样长度）。"),
        ("Planned A/B split, e.g. control=50,treatment=50 (default equal).", "计划的 A/B 分流，例如 control=50,treatment=50（默认均分）。"),
        ("Significance level (default 0.05).", "显著性水平（默认 0.05）。"),
        ("Act even though the layer's review is overdue (needs --reason; audited).", "即使该层复盘已逾期也执行（需要 --reason；记入审计）。"),
        ("Why --force is justified.", "为什么需要 --force。"),
        // audit, check, config, data
        ("Show the audit log, newest first.", "显示审计日志，最新的在前。"),
        ("Entity type, optionally with an id: person, layer, metric, kpi, playbook, workspace; e.g. kpi:3.", "对象类型，可带编号：person、layer、metric、kpi、playbook、workspace；例如 kpi:3。"),
        ("Only changes made by this handle.", "只看这个账号做的改动。"), ("At most this many entries.", "最多这么多条。"), ("At most this many.", "最多这么多条。"),
        ("Compliance check: unowned layers and KPIs, KPIs without baseline or target, overdue reviews, actions awaiting evaluation, follow-ups due, stale data, layers and KPIs owned by deactivated people. Exits 7 when anything is found.",
         "合规检查：无负责人的层和 KPI、没有基线或目标的 KPI、逾期的复盘、待评估的动作、到期的回访、断更数据、负责人已停用的层和 KPI。发现任何问题时退出码为 7。"),
        ("Workspace settings: coverage threshold, stale-after days, review grace days.", "工作区设置：覆盖率阈值、断更天数、复盘宽限天数、语言、时区。"),
        ("Change a setting, e.g. config set coverage_threshold 70%.", "修改设置，例如 config set coverage_threshold 70%。"),
        ("Setting key (see config list).", "设置项（见 config list）。"), ("New value.", "新值。"), ("Show one setting's value.", "显示一个设置的值。"),
        ("Setting key.", "设置项。"), ("Show every setting with its value (or default).", "显示所有设置及其值（或默认值）。"),
        ("Data quality: stale series, missing days, impossible values.", "数据质量：断更序列、缺天、不可能的数值。"),
        ("Find stale series, missing days inside series, and impossible values. Exits 7 when anything is found.", "查找断更序列、序列中间缺的天、不可能的数值。发现任何问题时退出码为 7。"),
        ("Days a series may lag before it is stale (default: the workspace setting, else 2).", "序列最多可滞后的天数，超过即断更（默认：工作区设置，否则 2）。"),
        ("Store --lag as the workspace default.", "把 --lag 保存为工作区默认值。"),
        // demo, event, fx, funnel
        ("Build a demo workspace (a temporary folder unless --dir) and print the overview and the funnel.", "创建演示工作区（除非指定 --dir，否则放在临时文件夹）并输出概览和漏斗。"),
        ("Folder for the demo workspace (must not already hold one).", "演示工作区的文件夹（不能已有工作区）。"),
        ("Events that move numbers without any action: promotions, holidays, platform changes, stock-outs, outages.", "不是由动作引起、却会影响数字的事件：大促、节假日、平台变动、断货、故障。"),
        ("Correct an event's kind, title, days or segment (audited with before and after).", "修正事件的类型、标题、日期或细分（记入审计，含修改前后）。"),
        ("Event id.", "事件编号。"), ("promo | holiday | platform | stockout | outage | other", "promo | holiday | platform | stockout | outage | other（大促、节假日、平台变动、断货、故障、其他）"),
        ("New first day.", "新的第一天。"), ("New last day.", "新的最后一天。"), ("New channel/market/device.", "新的 渠道/站点/设备。"),
        ("Delete an event logged by mistake: it no longer shows or confounds evaluations; the audit keeps it.", "删除登记错的事件：它不再显示，也不再干扰评估；审计日志仍保留。"),
        ("Why (kept in the audit log).", "原因（记入审计日志）。"), ("Log an event.", "登记事件。"),
        ("e.g. \"Prime Day\", \"11.11\", \"A9 ranking update\".", "例如 \"Prime Day\"、\"11.11\"、\"A9 排名算法更新\"。"),
        ("First day.", "第一天。"), ("Last day (default: the first).", "最后一天（默认：第一天）。"),
        ("channel/market/device it affects (default */*/*).", "影响的 渠道/站点/设备（默认 */*/*）。"), ("List events.", "列出事件。"),
        ("Only events overlapping this period.", "只看与这个周期重叠的事件。"),
        ("Reporting currency and exchange rates (amounts in different currencies are never added without them).", "报表币种和汇率（没有它们，不同币种的金额从不相加）。"),
        ("Set the reporting currency, e.g. USD.", "设置报表币种，例如 USD。"), ("Currency code.", "币种代码。"),
        ("Record a rate: 1 CURRENCY = RATE reporting currency, from a day on.", "记录汇率：从某一天起 1 单位该币种 = RATE 报表币种。"),
        ("Currency code, e.g. MYR.", "币种代码，例如 MYR。"), ("Units of the reporting currency per unit, e.g. 0.2126.", "每单位折合多少报表币种，例如 0.2126。"),
        ("First day the rate applies to (YYYY-MM-DD).", "汇率生效的第一天（YYYY-MM-DD）。"), ("Show the reporting currency and rates.", "显示报表币种和汇率。"),
        ("Show the funnel for a period: stage volumes, step rates, change vs a comparison, and the bottleneck.", "显示一个周期的漏斗：各阶段的量、各环节转化率、与对比期的变化、瓶颈。"),
        ("The bottleneck is the step whose rate worsened most against the comparison (direction-aware), with its layer, owner and the segments where it worsened most.",
         "瓶颈是与对比期相比变差最多的环节（考虑指标方向），并给出它所属的层、负责人，以及变差最多的细分。"),
        ("Only this channel.", "只看这个渠道。"), ("Only this market.", "只看这个站点。"), ("Only this device.", "只看这个设备。"),
        ("previous | baseline | yoy", "previous（上一周期）| baseline（基线）| yoy（同比）"),
        // import
        ("Import observations from exports (CSV), or list past imports.", "从导出文件（CSV）导入数据，或列出以往的导入。"),
        ("Undo an import (e.g. into the wrong market): remove what it inserted, put back exactly what it replaced.", "撤销一次导入（例如导错了站点）：删除它新增的值，精确恢复它替换的值。"),
        ("Refused when a later import changed the same cells, unless --force (those cells keep the later values). Admin only; audited.",
         "如果之后的导入修改过同样的单元格则拒绝，除非加 --force（这些单元格保留之后的值）。仅限管理员；记入审计。"),
        ("Import id (import list).", "导入编号（见 import list）。"), ("Revert although a later import changed some of the same cells.", "即使之后的导入修改过部分同样的单元格也撤销。"),
        ("Import a CSV export: all rows valid, or nothing is written (unless --skip-invalid).", "导入 CSV 导出文件：所有行都有效才写入，否则什么都不写（除非加 --skip-invalid）。"),
        ("The CSV file.", "CSV 文件。"), ("auto | {0}", "auto | {0}"),
        ("Channel for files without a channel column (amazon, shopee, …).", "文件没有渠道列时使用的渠道（amazon、shopee …）。"),
        ("Market for files without a market column (US, MY, …).", "文件没有站点列时使用的站点（US、MY …）。"),
        ("Device for files without a device column (desktop, mobile, app, all, …).", "文件没有设备列时使用的设备（desktop、mobile、app、all …）。"),
        ("Currency of amounts when the file does not say (USD, MYR, …).", "文件没有写明时金额的币种（USD、MYR …）。"),
        ("A YAML mapping for an export LinkStar does not know (same shape as the presets).", "LinkStar 不认识的导出格式用的 YAML 映射（与预设格式同样的结构）。"),
        ("Validate and count, write nothing.", "只校验和统计，不写入。"),
        ("Import the valid rows; write rejected rows with reasons to this CSV.", "导入有效的行；被拒收的行连同原因写入这个 CSV。"),
        ("List past imports, newest first.", "列出以往的导入，最新的在前。"),
        // init, kpi, layer
        ("Create a workspace: the database, Playbooks/*.md, the five layers and the metric catalog.", "创建工作区：数据库、Playbooks/*.md、五个层和指标库。"),
        ("Never overwrites an existing file or row: running it again changes nothing and says so.", "从不覆盖已有的文件或数据行：再运行一次不会有任何改变，并会说明。"),
        ("Create the workspace in this folder (DIR/linkstar.sqlite and DIR/Playbooks).", "在这个文件夹里创建工作区（DIR/linkstar.sqlite 和 DIR/Playbooks）。"),
        ("The day the team started (YYYY-MM-DD, default today): no review period before it is ever due.", "团队开始使用的日期（YYYY-MM-DD，默认今天）：在此之前的复盘周期不会到期。"),
        ("Share a new database file read-only with this group (mode 0640 instead of 0600).", "把新数据库文件以只读方式共享给这个用户组（权限 0640 而不是 0600）。"),
        ("KPIs: layer × metric × segment, owner, baseline, target, warning band.", "KPI：层 × 指标 × 细分、负责人、基线、目标、预警带。"),
        ("Correct a KPI's owner, baseline, target, band or currency by id (its layer, metric and segment stay); audited.", "按编号修正 KPI 的负责人、基线、目标、预警带或币种（层、指标和细分不变）；记入审计。"),
        ("KPI id.", "KPI 编号。"),
        ("Retire a KPI: no longer judged; its past statuses and review snapshots stay as they were.", "停用 KPI：不再评判；过去的状态和复盘快照保持不变。"),
        ("Why (kept with the KPI and in the audit log).", "原因（随 KPI 保存，并记入审计日志）。"),
        ("Create a KPI, or update the given fields of the KPI with the same layer, metric and segment.", "创建 KPI，或更新层、指标、细分相同的 KPI 的指定字段。"),
        ("Catalog metric key.", "指标库中的指标 key。"), ("Layer (default: the metric's layer).", "层（默认：指标所属的层）。"),
        ("channel/market/device, each a value or * (default */*/*).", "渠道/站点/设备，每一项是具体值或 *（默认 */*/*）。"),
        ("List KPIs.", "列出 KPI。"), ("Only this metric.", "只看这个指标。"),
        ("Only KPIs this person owns (directly or as layer owner).", "只看这个人负责的 KPI（直接负责或作为层负责人）。"),
        ("Include retired KPIs.", "包括已停用的 KPI。"), ("Show one KPI.", "显示一个 KPI。"),
        ("Owner handle (default for a new KPI: the layer owner).", "负责人账号（新 KPI 默认：层负责人）。"),
        ("Baseline value; needs --baseline-period.", "基线值；需要 --baseline-period。"),
        ("Period the baseline was measured over: YYYY-MM-DD..YYYY-MM-DD or YYYY-MM.", "基线的测量周期：YYYY-MM-DD..YYYY-MM-DD 或 YYYY-MM。"),
        ("Target value.", "目标值。"), ("Warning band: absolute (0.005) or relative (10%).", "预警带：绝对值（0.005）或相对值（10%）。"),
        ("Currency of a money KPI's baseline and target (default: the data's one currency, else the reporting currency).", "金额类 KPI 的基线和目标的币种（默认：数据的唯一币种，否则报表币种）。"),
        ("Each KPI's current value, baseline, target, delta and status.", "每个 KPI 的当前值、基线、目标、差值和状态。"),
        ("Only KPIs this person owns.", "只看这个人负责的 KPI。"),
        ("The five funnel layers: owners, playbooks, KPIs.", "漏斗五层：负责人、SOP、KPI。"), ("List layers with owners and playbook versions.", "列出各层及其负责人和 SOP 版本。"),
        ("Show a layer: owners, playbook, KPIs, review checklist.", "显示一层：负责人、SOP、KPI、复盘清单。"),
        ("traffic | landing | conversion | retention | feedback (or 流量层 …)", "traffic | landing | conversion | retention | feedback（或 流量层 …）"),
        ("Set a layer's owner and backup owner.", "设置一层的负责人和备份负责人。"), ("The layer.", "层。"), ("Owner handle.", "负责人账号。"),
        ("Backup owner handle (kept as is when omitted).", "备份负责人账号（不填则保持不变）。"),
        // maintenance
        ("Write a consistent copy of the workspace database to FILE while others keep writing.", "在别人继续写入的同时，把工作区数据库的一致副本写到 FILE。"),
        ("One step of SQLite's online backup inside one read transaction: the copy is the database as of the moment it began. FILE must not exist; it is created 0600.",
         "在一个读事务里用 SQLite 在线备份一步完成：副本就是备份开始那一刻的数据库。FILE 不能已存在；创建时权限为 0600。"),
        ("The backup file to create.", "要创建的备份文件。"),
        ("Replace the workspace database with a backup (checked first); the replaced file is kept as *.before-restore.", "用备份替换工作区数据库（先检查）；被替换的文件保存为 *.before-restore。"),
        ("Refuses a backup that fails the integrity check or has a newer schema; an older one is migrated. Stop linkstar serve first. Needs an admin of the current workspace.",
         "拒绝未通过完整性检查或数据结构更新的备份；旧版本的备份会被迁移。请先停止 linkstar serve。需要当前工作区的管理员。"),
        ("The backup file.", "备份文件。"),
        ("Check the database: integrity, foreign keys, migrations against this version's, file permissions, the daily totals against the observations; exits 7 on a finding.", "检查数据库：完整性、外键、与当前版本对应的迁移、文件权限、每日汇总与观测数据是否一致；有发现时退出码为 7。"),
        ("First rebuild the daily totals from the observations (admin; audited).", "先根据观测数据重建每日汇总（管理员；记入审计日志）。"),
        ("Write the whole workspace as one portable JSON document (every table's rows, the applied migrations).", "把整个工作区写成一个可移植的 JSON 文档（每张表的数据行、已应用的迁移）。"),
        ("JSON (the only format; accepted for symmetry with other commands).", "JSON（唯一格式；为与其他命令一致而接受此参数）。"), ("Write to this file instead of stdout.", "写入这个文件而不是标准输出。"),
        // metric
        ("The metric catalog: exact definitions, units, good direction, layer.", "指标库：准确定义、单位、好的方向、所属层。"), ("List catalog metrics.", "列出指标库中的指标。"),
        ("Only this layer's metrics.", "只看这一层的指标。"), ("Show one metric's definition.", "显示一个指标的定义。"), ("Metric key.", "指标 key。"),
        ("Add a custom metric: a base metric (--unit) or a derived one (--formula over base metrics).", "添加自定义指标：基础指标（--unit）或派生指标（用基础指标写 --formula）。"),
        ("Examples:\n  linkstar metric define live_viewers --unit count --direction up --layer traffic --definition \"TikTok live unique viewers\"\n  linkstar metric define live_ctr --formula \"clicks / live_viewers\" --direction up --layer traffic --definition \"...\"",
         "示例：\n  linkstar metric define live_viewers --unit count --direction up --layer traffic --definition \"TikTok 直播去重观看人数\"\n  linkstar metric define live_ctr --formula \"clicks / live_viewers\" --direction up --layer traffic --definition \"...\""),
        ("New metric key (snake_case).", "新指标 key（snake_case）。"), ("Exact definition: what is counted, from which report.", "准确定义：统计什么，来自哪个报表。"),
        ("up (higher is better) | down", "up（越高越好）| down（越低越好）"), ("Layer the metric belongs to.", "指标所属的层。"),
        ("count | currency | seconds for a base metric.", "基础指标的单位：count | currency | seconds。"),
        ("\"a / b\" or \"(a - b) / c\" over base metrics.", "用基础指标写的 \"a / b\" 或 \"(a - b) / c\"。"), ("Display name.", "显示名称。"),
        ("A count/count ratio that may exceed 1 (default: bounded 0 to 1).", "可能超过 1 的计数/计数比率（默认：限定在 0 到 1）。"),
        // person
        ("Add, list, deactivate and reactivate people (handle, name, role admin|editor|viewer).", "添加、列出、停用和重新启用成员（账号、名称、角色 admin|editor|viewer）。"),
        ("Change a person's name, role, contact or OS account (audited).", "修改成员的名称、角色、联系方式或系统账户（记入审计）。"), ("Handle.", "账号。"),
        ("New display name.", "新的显示名称。"), ("admin | editor | viewer", "admin（管理员）| editor（编辑）| viewer（只读）"), ("New contact.", "新的联系方式。"),
        ("The OS account that acts as this person on the CLI without --as.", "在命令行不加 --as 时代表这个成员的系统账户。"), ("Add a person.", "添加成员。"),
        ("Handle, e.g. lin.wei", "账号，例如 lin.wei"), ("Display name, e.g. \"Lin Wei 林伟\".", "显示名称，例如 \"Lin Wei 林伟\"。"),
        ("admin | editor | viewer (default editor)", "admin | editor | viewer（默认 editor）"), ("How to reach them (email, DingTalk/Feishu id).", "联系方式（邮箱、钉钉/飞书账号）。"),
        ("List people.", "列出成员。"), ("Deactivate a person who left: their history stays, they can no longer act (CLI or tokens).", "停用已离开的成员：历史保留，但不能再操作（命令行或令牌）。"),
        ("Reactivate a deactivated person.", "重新启用已停用的成员。"),
        // playbook
        ("SOP playbooks: Markdown files with front matter and a review checklist.", "SOP：带头信息和复盘清单的 Markdown 文件。"),
        ("Store a new version of every playbook whose content changed (all files valid, or nothing is stored).", "为内容有变化的每个 SOP 保存新版本（所有文件都有效才保存，否则什么都不保存）。"),
        ("Playbook folder (default: Playbooks/ beside the database).", "SOP 文件夹（默认：数据库旁边的 Playbooks/）。"), ("List each layer's current playbook.", "列出每一层当前的 SOP。"),
        ("Print a layer's playbook (Markdown, --html or --json).", "输出一层的 SOP（Markdown、--html 或 --json）。"), ("An earlier version number (default: current).", "更早的版本号（默认：当前版本）。"),
        ("Render the Markdown body as a standalone HTML page.", "把 Markdown 正文渲染成独立的 HTML 页面。"),
        // review
        ("Periodic reviews (复盘): due dates, start, check items, findings and decisions, close with sign-off, the review pack.", "定期复盘：到期日、开始、勾选清单项、发现和决定、签字关闭、复盘材料。"),
        ("Add a dated addendum to a closed review; the review itself does not change.", "给已关闭的复盘添加带日期的补充说明；复盘本身不变。"), ("Review id.", "复盘编号。"),
        ("The addendum: a correction or a late finding.", "补充说明：更正或后来的发现。"),
        ("Each layer's and the funnel's last review, next due date, days overdue, owner.", "每一层和全漏斗的上次复盘、下次到期日、逾期天数、负责人。"),
        ("Start the review of a layer (or the funnel) for a period (default: the one due now).", "开始一层（或全漏斗）某个周期的复盘（默认：当前到期的那个）。"),
        ("traffic | landing | conversion | retention | feedback | funnel", "traffic | landing | conversion | retention | feedback | funnel（全漏斗）"),
        ("The period: 2026-W47, 2026-11, 2026-Q4 or a day inside it.", "周期：2026-W47、2026-11、2026-Q4 或其中的某一天。"),
        ("Check an item (records who and when).", "勾选一项（记录人和时间）。"), ("Item number.", "项目编号。"), ("What was found or done.", "发现了什么或做了什么。"),
        ("Uncheck an item.", "取消勾选一项。"), ("Record a finding or a decision.", "记录发现或决定。"), ("A finding.", "发现。"), ("A decision.", "决定。"),
        ("Log an action decided in this review (linked to it).", "登记本次复盘决定的动作（与复盘关联）。"),
        ("Close a review: every required item checked, signed off by the owner, the backup or an admin; it can never change again.", "关闭复盘：所有必填项已勾选，由负责人、备份负责人或管理员签字；关闭后不能再修改。"),
        ("The review pack: KPIs, funnel with bottleneck, actions, checklist, findings, decisions.", "复盘材料：KPI、含瓶颈的漏斗、动作、清单、发现、决定。"),
        ("text | md | html | json", "text | md | html | json"),
        ("Messages for the team's chats (DingTalk, Feishu, WeCom, Slack, webhooks).", "发往团队群聊的消息（钉钉、飞书、企业微信、Slack、webhook）。"),
        ("Print a message exactly as it would be sent, without sending it.", "按发送时的样子打印消息，但不发送。"),
        ("The team's chat channels: add, list, remove, test.", "团队的群聊渠道：添加、列出、移除、测试。"),
        ("Add a channel: a DingTalk, Feishu, WeCom or Slack robot's webhook URL, or any HTTPS endpoint. The URL and the secret are stored sealed and never printed.",
         "添加渠道：钉钉、飞书、企业微信或 Slack 机器人的 webhook 地址，或任意 HTTPS 地址。地址和密钥加密保存，从不打印。"),
        ("List the channels (addresses shortened, secrets never shown).", "列出渠道（地址已缩略，从不显示密钥）。"),
        ("Remove a channel (kept in the audit log; its name can be used again).", "移除渠道（审计日志中保留记录；名称可再次使用）。"),
        ("Set who a person is in the team's chats, so messages @-mention them (an empty value clears one).",
         "设置某人在团队群聊中的身份，以便消息 @ 到他（空值表示清除）。"),
        ("Channel name, e.g. ops-daily.", "渠道名称，例如 ops-daily。"),
        ("dingtalk | feishu | wecom | slack | webhook", "dingtalk | feishu | wecom | slack | webhook"),
        ("The webhook URL the vendor shows for the robot.", "平台为机器人显示的 webhook 地址。"),
        ("The signing secret (DingTalk 加签, Feishu 签名校验, or the webhook's HMAC key).", "签名密钥（钉钉加签、飞书签名校验，或 webhook 的 HMAC 密钥）。"),
        ("Channel name.", "渠道名称。"),
        ("Print the request body this channel's vendor would receive.", "打印该渠道平台将收到的请求体。"),
        ("DingTalk: the mobile number the robot @-mentions.", "钉钉：机器人 @ 的手机号。"),
        ("DingTalk: the user id (preferred over the mobile).", "钉钉：用户 ID（优先于手机号）。"),
        ("Feishu: the open_id (ou_…).", "飞书：open_id（ou_…）。"),
        ("WeCom: the userid.", "企业微信：userid。"),
        ("Slack: the member id (U…).", "Slack：成员 ID（U…）。"),
        ("The daily report (日报): yesterday's funnel, the last 7 days against the 7 before, the bottleneck and its owner, KPIs off-track or at risk by owner, reviews due and overdue, actions awaiting evaluation, follow-ups due, decays, stale data.",
         "日报：昨日漏斗，近 7 天对比前 7 天，瓶颈及其负责人，按负责人列出未达标或预警的 KPI，到期和逾期的复盘，待评估的动作，到期的回访，效果衰减，未更新的数据。"), ("Same as --format json.", "等同于 --format json。"), ("List reviews, newest first.", "列出复盘，最新的在前。"),
        ("Only this layer or funnel.", "只看这一层或全漏斗。"), ("Set the funnel review's owner, cadence and day, and the gating grace period.", "设置全漏斗复盘的负责人、周期和日期，以及拦截的宽限期。"),
        ("Who owns the whole-funnel review.", "全漏斗复盘的负责人。"), ("weekly | biweekly | monthly | quarterly (default monthly).", "weekly | biweekly | monthly | quarterly（默认 monthly）。"),
        ("Weekday or day of month the funnel review is due.", "全漏斗复盘到期的星期几或每月几号。"),
        ("Days a review may be overdue before new actions on its layer are refused (default 3).", "复盘最多可逾期的天数，超过后该层的新动作会被拒绝（默认 3）。"),
        // scorecard, serve, token
        ("Each owner's layers and KPIs with status, and what nobody owns.", "每位负责人的层和 KPI 及其状态，以及没人负责的部分。"), ("Only this person.", "只看这个人。"),
        ("Serve the web pages (/, sign in with an API token) and the JSON API (/api/v1, bearer tokens) on loopback unless told otherwise.",
         "提供网页（/，用 API 令牌登录）和 JSON API（/api/v1，Bearer 令牌）；除非另行指定，只监听本机回环地址。"),
        ("Mark the session cookie Secure (when a TLS proxy serves the pages).", "给会话 Cookie 加上 Secure（由 TLS 代理提供网页时）。"),
        ("Address to listen on.", "监听地址。"), ("Port.", "端口。"), ("Largest request body in bytes.", "请求体的最大字节数。"),
        ("API tokens: created once (only the SHA-256 is stored), listed, revoked.", "API 令牌：只显示一次（只保存 SHA-256）、列出、撤销。"),
        ("Create a token for a person; prints it once.", "为成员创建令牌；只输出一次。"), ("The person the token acts as.", "令牌所代表的成员。"),
        ("viewer | editor | admin", "viewer（只读）| editor（编辑）| admin（管理员）"), ("What it is for (e.g. feishu-bot).", "用途（例如 feishu-bot）。"),
        ("List tokens (never the tokens themselves).", "列出令牌（从不显示令牌本身）。"), ("Revoke a token.", "撤销令牌。"), ("Token id.", "令牌编号。"),
        ("The overview as one self-contained HTML file (inline CSS and SVG charts, no external requests), to attach to a mail or a chat.",
         "把总览生成一个独立的 HTML 文件（内嵌 CSS 和 SVG 图表，不请求任何外部资源），可以直接附在邮件或群聊里。"),
        ("Write to this file (default: stdout).", "写入这个文件（默认：标准输出）。"),
        // Longer discussions
        ("""
        A rate applies from --from until the currency's next rate; each day converts at the rate in force on it.
        Without --from, a currency's first rate applies to every day and a later one from today.
        """, """
        汇率从 --from 起生效，直到该币种的下一个汇率；每一天按当天有效的汇率折算。
        不加 --from 时，该币种的第一个汇率适用于所有日期，之后的汇率从今天起生效。
        """),
        ("""
        Formats: {0}.
        long: date,channel,market,device,metric,value[,currency]. wide: date, optional channel/market/device, one column per metric key.
        Presets read the marketplace exports as they are (BOM, "1,234", $1,234.56, 3.45%, -, totals rows).
        Rate columns are not stored: rates are recomputed from counts.
        """, """
        格式：{0}。
        long（长表）：date,channel,market,device,metric,value[,currency]。wide（宽表）：date、可选的 channel/market/device、每个指标 key 一列。
        预设格式按平台导出的原样读取（BOM、"1,234"、$1,234.56、3.45%、-、合计行）。
        比率列不保存：比率由计数重新计算。
        """),
        ("""
        Values take the metric's unit; rates accept percentages (--target 3.5% = 0.035).
        --warn is the warning band: how far short of target is still at-risk rather than off-track,
        absolute (0.005) or relative to target (10%, the default for a new KPI).
        Example: linkstar kpi set --metric checkout_to_order_rate --segment '*/MY/mobile' --baseline 62% --baseline-period 2026-09 --target 68% --owner chen.jie
        """, """
        数值使用指标的单位；比率可以写百分比（--target 3.5% = 0.035）。
        --warn 是预警带：离目标差多少以内算预警而不是未达标，
        可以是绝对值（0.005）或相对目标的比例（10%，新 KPI 的默认值）。
        示例：linkstar kpi set --metric checkout_to_order_rate --segment '*/MY/mobile' --baseline 62% --baseline-period 2026-09 --target 68% --owner chen.jie
        """),
        ("""
        Status rule (direction-aware): no baseline → no-baseline; no data → no-data; at or beyond target (the baseline when no target) → on-track;
        short by no more than the warning band → at-risk; further → off-track. Rates come from summed counts over the cells (segment × day)
        that report every part (COVERAGE: the share of the denominator that did; below the threshold the KPI is partial);
        observed counts and amounts are daily averages (/day); loop-health counts are period totals.
        """, """
        状态规则（考虑指标方向）：没有基线 → 无基线；没有数据 → 无数据；达到或超过目标（没有目标时用基线）→ 达标；
        差距不超过预警带 → 预警；再差 → 未达标。比率由各部分都有数据的单元格（细分 × 天）上的计数加总后计算
        （覆盖率：分母中落在这些单元格上的比例；低于阈值时 KPI 记为部分）；
        导入的计数和金额取日均值（/天）；循环健康计数取周期合计。
        """),
        ("""
        Layers, top to bottom: traffic 流量层 → landing 承接层 → conversion 转化层 → retention 留存层 → feedback 反哺层.
        Exit codes: 0 ok, 1 internal error, 2 usage, 3 not found, 4 invalid input, 5 conflict, 6 forbidden, 7 a check found problems,
        8 busy (another process held the database lock past the timeout: retry), 9 a chat message not delivered (notify).
        """, """
        漏斗各层，自上而下：流量层 traffic → 承接层 landing → 转化层 conversion → 留存层 retention → 反哺层 feedback。
        退出码：0 成功，1 内部错误，2 用法错误，3 未找到，4 输入无效，5 冲突，6 无权限，7 检查发现问题，
        8 忙（另一个进程占用数据库锁超过时限：请重试），9 聊天消息未送达（notify）。
        """),
    ]
}

import Foundation
import LinkStarCore

/// The built-in import formats, each a mapping in the same YAML shape a user writes with `--mapping`.
public enum ImportPresets {
    /// Format name → YAML.
    public static let yaml: [(name: String, yaml: String)] = [
        ("long", """
        name: long
        description: "One row per value: date,channel,market,device,metric,value[,currency]"
        layout: long
        date: {column: [date, day], format: auto}
        segment:
          channel: {column: [channel]}
          market: {column: [market]}
          device: {column: [device]}
        currency: {column: [currency]}
        metric_column: [metric]
        value_column: [value]
        """),
        ("wide", """
        name: wide
        description: "A date column, optional channel/market/device columns, one column per catalog metric (header = metric key)"
        layout: wide
        date: {column: [date, day], format: auto}
        segment:
          channel: {column: [channel]}
          market: {column: [market]}
          device: {column: [device]}
        currency: {column: [currency]}
        """),
        ("shopify", """
        name: shopify
        description: "Shopify Analytics sessions / conversion report (Day, Sessions, Sessions with cart additions, …)"
        date: {column: [Day, Date], format: auto}
        segment:
          channel: {column: [Channel], value: shopify}
          market: {column: [Market, Country, Session country]}
          device: {column: [Device type, Device], value: all}
        currency: {column: [Currency]}
        percent: fraction
        metrics:
          sessions: [Sessions]
          add_to_cart: [Sessions with cart additions, Added to cart]
          checkouts: [Sessions that reached checkout, Reached checkout]
          orders: [Sessions that completed checkout, Sessions converted, Orders]
          revenue: [Total sales, Net sales]
        rates:
          conversion_rate: [Conversion rate]
          visit_to_cart_rate: [Added to cart rate]
        """),
        ("ga4", """
        name: ga4
        description: "Google Analytics 4 report download: # comment block, Date as YYYYMMDD, a Grand total row"
        comment_prefix: "#"
        date: {column: [Date], format: YYYYMMDD}
        segment:
          channel: {column: [Session default channel group], value: shopify}
          market: {column: [Country ID, Market]}
          device: {column: [Device category], value: all}
        currency: {column: [Currency]}
        percent: fraction
        total_labels: [Grand total]
        metrics:
          sessions: [Sessions]
          page_views: [Views, Items viewed]
          add_to_cart: [Add to carts]
          checkouts: [Checkouts]
          orders: [Ecommerce purchases, Transactions, Purchases]
          revenue: [Purchase revenue, Total revenue]
          customers: [Total purchasers]
        rates:
          bounce_rate: [Bounce rate]
          conversion_rate: [Session conversion rate]
        ignore:
          - columns: [Engaged sessions, Engagement rate, Average engagement time per session, Users, Active users, New users, Event count]
            reason: not in the metric catalog
        """),
        ("amazon-business", """
        name: amazon-business
        description: "Amazon Seller Central Business Reports, Sales and Traffic by Date"
        date: {column: [Date], format: MM/DD/YYYY}
        segment:
          channel: {value: amazon}
          device: {value: all}
        percent: percent
        metrics:
          sessions: [Sessions - Total, Sessions]
          page_views: [Page Views - Total, Page Views]
          orders: [Total Order Items]
          revenue: [Ordered Product Sales]
          refunds: [Units Refunded]
        rates:
          conversion_rate: [Unit Session Percentage, Order Item Session Percentage]
        ignore:
          - columns: [Units Ordered, Units Ordered - B2B, Ordered Product Sales - B2B, Total Order Items - B2B, Average Sales per Order Item, Average Units per Order Item, Average Selling Price, Sessions - Mobile App, Sessions - Browser, Page Views - Mobile App, Page Views - Browser, Buy Box Percentage, Refund Rate, Feedback Received, Negative Feedback Received, Received Negative Feedback Rate, A-to-z Claims Granted, Claims Amount, Shipped Product Sales, Units Shipped, Orders Shipped, Average Offer Count, Average Parent Items]
            reason: units, B2B splits, device splits and service figures are not catalog metrics
        """),
        ("amazon-ads", """
        name: amazon-ads
        description: "Amazon Sponsored Products report by day (campaign rows are summed per day)"
        date: {column: [Date, Start Date], format: auto}
        segment:
          channel: {value: amazon}
          device: {value: all}
        currency: {column: [Currency]}
        aggregate: true
        percent: percent
        metrics:
          impressions: [Impressions]
          clicks: [Clicks]
          ad_spend: [Spend, Cost]
          ad_sales: [7 Day Total Sales, 14 Day Total Sales]
          ad_orders: [7 Day Total Orders (#), 14 Day Total Orders (#)]
        rates:
          ctr: [Click-Thru Rate (CTR), CTR]
          acos: [Total Advertising Cost of Sales (ACOS), ACOS]
          roas: [Total Return on Advertising Spend (ROAS), ROAS]
          cpc: [Cost Per Click (CPC), CPC]
        ignore:
          - columns: [7 Day Total Units (#), 7 Day Conversion Rate]
            reason: units and attributed conversion rates are not catalog metrics (attributed sales and orders go to ad_sales and ad_orders, never to store revenue and orders)
          - columns: [Campaign Name, Ad Group Name, Portfolio name, Targeting, Match Type, Customer Search Term, Country, Retailer]
            reason: descriptive column
        """),
        ("shopee-ads", """
        name: shopee-ads
        description: "Shopee Ads (My Ads) performance by day and ad; ad rows are summed per day; GMV and Orders are ad-attributed"
        date: {column: [Date, 日期], format: DD-MM-YYYY}
        segment:
          channel: {value: shopee}
          device: {value: all}
        currency: {column: [Currency, 币种]}
        aggregate: true
        percent: percent
        metrics:
          impressions: [Impression, Impressions, 曝光数, 曝光量]
          clicks: [Clicks, 点击数]
          ad_spend: [Expense, 花费]
          ad_sales: [GMV, 销售金额, 广告销售额]
          ad_orders: [Orders, 订单数]
        rates:
          ctr: [CTR, 点击率]
          roas: [ROAS, ROI, 投入产出比]
          acos: [ACOS, CIR, 广告支出占比]
          cpc: [Cost per Click, CPC]
        ignore:
          - columns: [Conversions, Items Sold, Direct Orders, Direct Conversions, Direct Items Sold, Direct GMV, Direct ROAS, Direct ROI, Direct ACOS, Direct CIR, Conversion Rate, CR, Cost per Conversion, 转化, 商品件数]
            reason: unit counts, per-product conversions and the direct-only split are not catalog metrics (GMV and Orders are the shop-wide attributed figures the ROAS column uses)
          - columns: [Ad Name, Ad Type, Product ID, Keyword, Placement, Status, 广告名称, 广告类型, 状态]
            reason: descriptive column
        """),
        ("shopee", """
        name: shopee
        description: "Shopee Seller Centre Business Insights, product performance by day"
        date: {column: [Date, Data Period, 日期, 数据周期], format: DD-MM-YYYY}
        segment:
          channel: {value: shopee}
          device: {column: [Platform, Device, 平台, 设备], value: all}
        currency: {column: [Currency, 币种, 货币]}
        percent: percent
        metrics:
          sessions: [Visitors, 访客数]
          product_views: [Product Visitors (Visit), Product Visitors, 商品访客数（访问）, 商品访客数]
          page_views: [Product Page Views, Page Views, 商品页面浏览量, 页面浏览量, 浏览量]
          add_to_cart: [Product Visitors (Add to Cart), Add to Cart Visitors, 商品访客数（加购）, 加购人数, 加购访客数]
          orders: [Orders (Placed Order), Orders (Paid Order), Orders, 订单数（已下单）, 订单数（已付款）, 订单数]
          revenue: [Sales (Placed Order), Sales (Paid Order), Sales, 销售额（已下单）, 销售额（已付款）, 销售额]
          customers: [Buyers (Placed Order), Buyers (Paid Order), Buyers, 买家数（已下单）, 下单买家数, 买家数]
        rates:
          conversion_rate: [Conversion Rate (Placed Order), Conversion Rate (Paid Order), Conversion Rate, 转化率（已下单）, 转化率]
          bounce_rate: [Product Bounce Rate, Bounce Rate, 商品跳出率, 跳出率]
        ignore:
          - columns: [Units (Add to Cart), Units (Placed Order), Units (Paid Order), Product Name, Item ID, Parent SKU, 商品名称, 商品ID, 件数（加购）, 件数（已下单）]
            reason: units and product descriptors are not catalog metrics
        """),
        ("lazada", """
        name: lazada
        description: "Lazada Seller Center Business Advisor dashboard by day (DD/MM/YYYY, a period-summary first row)"
        date: {column: [Date, 日期], format: DD/MM/YYYY}
        segment:
          channel: {value: lazada}
          device: {value: all}
        percent: percent
        metrics:
          sessions: [Visitors, 访客数]
          page_views: [Pageviews, Page Views, 浏览量, 页面浏览量]
          add_to_cart: [Add to Cart Users, 加购人数]
          orders: [Orders, 订单数]
          revenue: [Revenue, 销售额, 收入]
          customers: [Buyers, 买家数, 下单买家数]
        rates:
          conversion_rate: [Conversion Rate, 转化率]
        ignore:
          - columns: [Units Sold, Add to Cart Units, Average Order Value, 销售件数, 加购件数, 客单价]
            reason: units and averages are recomputed or not catalog metrics
        """),
        ("klaviyo", """
        name: klaviyo
        description: "Klaviyo campaign export (one row per campaign; summed per send day)"
        date: {column: [Send Time, Send Date, Date], format: auto}
        segment:
          channel: {value: email}
          device: {value: all}
        currency: {column: [Currency]}
        aggregate: true
        percent: percent
        metrics:
          email_sends: [Total Recipients, Recipients, Delivered]
          email_clicks: [Unique Clicks]
        rates:
          email_ctr: [Click Rate]
        ignore:
          - columns: [Unique Placed Order, Revenue, Placed Order Rate, Unique Opens, Open Rate, Unsubscribes, Spam Complaints, Bounces, Campaign Name, Subject, List, Tags, Campaign ID, Winning Variant]
            reason: email-attributed orders and revenue would double-count store orders; opens are not reliable
        """),
    ]

    /// The preset mapping with this name (parsed once per process: an API batch goes through the `long` preset).
    public static func mapping(_ name: String) throws -> ImportMapping {
        guard let entry = yaml.first(where: { $0.name == name }) else {
            throw LinkStarError.unknownValue("format", name, field: "format", among: ["auto"] + yaml.map(\.name))
        }
        return try parsed.value(name) { try ImportMapping.parse(yaml: entry.yaml, file: "preset \(name)") }.get()
    }

    /// Presets parsed so far, by name.
    private static let parsed = ParsedPresets()

    private final class ParsedPresets: @unchecked Sendable {
        private let lock = NSLock()
        private var byName: [String: Result<ImportMapping, any Error>] = [:]

        func value(_ name: String, parse: () throws -> ImportMapping) -> Result<ImportMapping, any Error> {
            lock.lock()
            defer { lock.unlock() }
            if let known = byName[name] { return known }
            let result = Result { try parse() }
            byName[name] = result
            return result
        }
    }

    /// Every format name `--format` accepts.
    public static var formatNames: [String] { ["auto"] + yaml.map(\.name) }
}

import Foundation
import LinkStarCore

/// Generates the demo's observations: 180 days × 2 channels × 3 markets × 2 devices, weekly seasonality,
/// noise, and a planted drop in checkout → order for MY on mobile over the last 7 days. Lazada reports no checkouts
/// (its Business Advisor has no such column), so steps through checkouts cover shopee only. Deterministic.
public enum DemoData {
    /// The segment whose checkout → order step is planted to drop.
    public static let plantedMarket = "MY"
    public static let plantedDevice = "mobile"
    public static let plantedDays = 7
    /// A lift in visit → cart on shopee/SG/mobile from 120 to 86 days ago (the demo's decaying win).
    public static let liftDays = 86...120

    /// The long-format CSV text for the 180 days ending yesterday.
    public static func csv(today: Day, days: Int = 180, seed: UInt64 = 20261111) -> String {
        var random = SeededGenerator(seed: seed)
        let channels = ["shopee", "lazada"]
        let markets: [(String, String, Double)] = [("MY", "MYR", 85), ("SG", "SGD", 45), ("TH", "THB", 900)]
        let baseSessions: [String: Double] = [
            "shopee/MY/mobile": 3000, "shopee/MY/desktop": 700, "shopee/SG/mobile": 1500, "shopee/SG/desktop": 600,
            "shopee/TH/mobile": 2500, "shopee/TH/desktop": 500, "lazada/MY/mobile": 2000, "lazada/MY/desktop": 500,
            "lazada/SG/mobile": 900, "lazada/SG/desktop": 400, "lazada/TH/mobile": 1800, "lazada/TH/desktop": 400,
        ]
        var lines = ["date,channel,market,device,metric,value,currency"]
        lines.reserveCapacity(days * 12 * 16)
        for offset in stride(from: days, through: 1, by: -1) {
            let day = today.adding(days: -offset)
            let weekday = PeriodSpec.weekday(day)
            let season = weekday >= 5 ? 1.15 : (weekday == 0 ? 0.95 : 1.0)
            let trend = 1 + 0.0008 * Double(days - offset)
            for channel in channels {
                for (market, currency, aov) in markets {
                    for device in ["mobile", "desktop"] {
                        func noisy(_ rate: Double, _ spread: Double = 0.03) -> Double { max(0, rate * (1 + spread * random.normal())) }
                        func count(_ value: Double) -> Int { max(0, Int(value.rounded())) }
                        let sessions = count(noisy(baseSessions["\(channel)/\(market)/\(device)"]! * season * trend, 0.05))
                        let clicks = count(Double(sessions) * noisy(0.7))
                        let impressions = count(Double(clicks) / noisy(0.025))
                        let bounced = count(Double(sessions) * noisy(device == "mobile" ? 0.44 : 0.38))
                        let views = count(Double(sessions) * noisy(2.1))
                        let productViews = count(Double(sessions) * noisy(0.62))
                        let lifted = channel == "shopee" && market == "SG" && device == "mobile" && liftDays.contains(offset)
                        let carts = min(productViews, count(Double(sessions) * noisy((device == "mobile" ? 0.085 : 0.10) * (lifted ? 1.18 : 1))))
                        let checkouts = count(Double(carts) * noisy(0.55))
                        let planted = market == plantedMarket && device == plantedDevice && offset <= plantedDays
                        let orders = min(checkouts, count(Double(checkouts) * noisy(planted ? 0.45 : 0.72)))
                        let revenue = (Double(orders) * noisy(aov, 0.08) * 100).rounded() / 100
                        let spend = (Double(clicks) * noisy(aov * 0.0053, 0.05) * 100).rounded() / 100
                        let adOrders = count(Double(orders) * noisy(0.35, 0.1))
                        let adSales = (Double(adOrders) * noisy(aov, 0.08) * 100).rounded() / 100
                        let customers = count(Double(orders) * noisy(0.95, 0.01))
                        let repeats = count(Double(customers) * noisy(0.2, 0.1))
                        let refunds = count(Double(orders) * noisy(0.03, 0.3))
                        let sends = count(noisy(200, 0.1))
                        let emailClicks = count(Double(sends) * noisy(0.028, 0.15))
                        let prefix = "\(day),\(channel),\(market),\(device)"
                        var values: [(String, String, String)] = [
                            ("impressions", String(impressions), ""), ("clicks", String(clicks), ""), ("sessions", String(sessions), ""),
                            ("bounced_sessions", String(bounced), ""), ("page_views", String(views), ""), ("product_views", String(productViews), ""),
                            ("add_to_cart", String(carts), ""), ("orders", String(orders), ""),
                            ("revenue", String(format: "%.2f", revenue), currency), ("ad_spend", String(format: "%.2f", spend), currency),
                            ("ad_sales", String(format: "%.2f", adSales), currency), ("ad_orders", String(adOrders), ""),
                            ("customers", String(customers), ""), ("repeat_customers", String(repeats), ""), ("refunds", String(refunds), ""),
                            ("email_sends", String(sends), ""), ("email_clicks", String(emailClicks), ""),
                        ]
                        if channel == "shopee" { values.append(("checkouts", String(checkouts), "")) }
                        for (metric, value, currency) in values { lines.append("\(prefix),\(metric),\(value),\(currency)") }
                    }
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

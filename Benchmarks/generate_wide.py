#!/usr/bin/env python3
"""Writes a long-format CSV (date,channel,market,device,metric,value,currency) with N rows to stdout: a seller that
grows wide, not long.

10 channels x 20 markets x 4 devices = 800 segments a day (10x the 80 of generate_long.py), from 2024-01-01 on, with
the funnel's 7 stages, revenue in the market's currency, customers, repeat customers and refunds: 8 to 11 metrics a
segment, about 7,530 rows a day, so 1M rows cover 133 days (to 2024-05-12) and 10M rows 1,328 days (to 2027-08-20).

Deliberately messy, as real exports are: stages are consistent on each cell (a lower stage never exceeds the one
above it), but tiktok reports no add_to_cart (a missing stage), the ad chain (impressions, clicks) is only on
amazon, shopee and lazada, and every 13th segment skips every 9th day (holes). Deterministic (seeded).
"""
import datetime
import random
import sys

rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
random.seed(2)
channels = ["amazon", "shopee", "lazada", "tiktok", "shopify", "temu", "walmart", "ebay", "aliexpress", "mercadolibre"]
markets = ["US", "UK", "DE", "FR", "IT", "ES", "NL", "JP", "KR", "SG", "MY", "PH", "TH", "VN", "ID", "AU", "CA", "MX", "BR", "AE"]
currency = {"US": "USD", "UK": "GBP", "DE": "EUR", "FR": "EUR", "IT": "EUR", "ES": "EUR", "NL": "EUR", "JP": "JPY",
            "KR": "KRW", "SG": "SGD", "MY": "MYR", "PH": "PHP", "TH": "THB", "VN": "VND", "ID": "IDR", "AU": "AUD",
            "CA": "CAD", "MX": "MXN", "BR": "BRL", "AE": "AED"}
devices = ["desktop", "mobile", "app", "tablet"]
segments = [(c, m, d) for c in channels for m in markets for d in devices]
out = sys.stdout
out.write("date,channel,market,device,metric,value,currency\n")
day = datetime.date(2024, 1, 1)
written = 0
ordinal = 0
while written < rows:
    date = day.isoformat()
    for index, (c, m, d) in enumerate(segments):
        if index % 13 == 0 and ordinal % 9 == 0:
            continue
        sessions = random.randint(200, 20000)
        views = int(sessions * random.uniform(0.3, 0.7))
        cart = int(views * random.uniform(0.1, 0.3))
        checkouts = int(cart * random.uniform(0.4, 0.7))
        orders = int(checkouts * random.uniform(0.5, 0.9))
        customers = max(1, int(orders * random.uniform(0.8, 1.0))) if orders else 0
        values = []
        if c in ("amazon", "shopee", "lazada"):
            impressions = sessions * random.randint(5, 20)
            values += [("impressions", impressions, ""), ("clicks", int(impressions * random.uniform(0.01, 0.05)), "")]
        values += [("sessions", sessions, ""), ("product_views", views, "")]
        if c != "tiktok":
            values.append(("add_to_cart", cart, ""))
        values += [("checkouts", checkouts, ""), ("orders", orders, ""),
                   ("revenue", round(orders * random.uniform(15, 60), 2), currency[m]),
                   ("customers", customers, ""), ("repeat_customers", int(customers * random.uniform(0.1, 0.4)), ""),
                   ("refunds", int(orders * random.uniform(0, 0.08)), "")]
        prefix = f"{date},{c},{m},{d},"
        for metric, value, code in values:
            if written == rows:
                break
            out.write(f"{prefix}{metric},{value},{code}\n")
            written += 1
        if written == rows:
            break
    day += datetime.timedelta(days=1)
    ordinal += 1

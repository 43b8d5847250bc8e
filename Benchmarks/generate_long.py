#!/usr/bin/env python3
"""Writes a long-format CSV (date,channel,market,device,metric,value,currency) with N rows to stdout.

5 channels x 8 markets x 2 devices x 7 funnel metrics = 560 rows a day, from 2024-01-01 on,
so 1M rows cover 1,786 days and 10M rows 17,858 days. Deterministic (seeded).
"""
import datetime
import random
import sys

rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
random.seed(1)
channels = ["amazon", "shopee", "lazada", "tiktok", "shopify"]
markets = ["US", "UK", "DE", "JP", "SG", "MY", "PH", "TH"]
devices = ["desktop", "mobile"]
metrics = ["impressions", "clicks", "sessions", "product_views", "add_to_cart", "checkouts", "orders"]
out = sys.stdout
out.write("date,channel,market,device,metric,value,currency\n")
day = datetime.date(2024, 1, 1)
written = 0
while written < rows:
    d = day.isoformat()
    for c in channels:
        for m in markets:
            for dv in devices:
                prefix = f"{d},{c},{m},{dv},"
                for metric in metrics:
                    if written == rows:
                        break
                    out.write(f"{prefix}{metric},{random.randint(1, 100000)},\n")
                    written += 1
    day += datetime.timedelta(days=1)

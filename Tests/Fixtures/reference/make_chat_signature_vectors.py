#!/usr/bin/env python3
"""Reference signatures for the chat channels, computed the way each vendor's own sample code does it
(Python's hmac, hashlib, base64 and urllib; nothing from LinkStar). Writes chat_signatures.json beside this file.

- DingTalk 加签: string_to_sign = timestamp + "\\n" + secret; HMAC-SHA256 keyed with the secret; Base64;
  urllib.parse.quote_plus. Timestamp in milliseconds.
- Feishu 签名校验: key = timestamp + "\\n" + secret; HMAC-SHA256 of an empty message; Base64. Timestamp in seconds.
- LinkStar's generic webhook: HMAC-SHA256 keyed with the secret over timestamp + "." + body; lowercase hex.
"""
import base64
import hashlib
import hmac
import json
import os
import urllib.parse

secrets = ["SECxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
           "SEC5f0c3b1f2a9d4e6c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4",
           "abc", "t0p-s3cr3t/with+slash=", "y8bZqQw3Xn1Lk2Jm"]
times_ms = [1599360473000, 1795000000123, 1700000000999, 1000000000000]

dingtalk, feishu, webhook = [], [], []
for secret in secrets:
    for ms in times_ms:
        timestamp = str(ms)
        mac = hmac.new(secret.encode("utf-8"), f"{timestamp}\n{secret}".encode("utf-8"), digestmod=hashlib.sha256).digest()
        dingtalk.append({"timestamp": timestamp, "secret": secret, "sign": urllib.parse.quote_plus(base64.b64encode(mac))})
        seconds = str(ms // 1000)
        mac = hmac.new(f"{seconds}\n{secret}".encode("utf-8"), b"", digestmod=hashlib.sha256).digest()
        feishu.append({"timestamp": seconds, "secret": secret, "sign": base64.b64encode(mac).decode("utf-8")})
        body = json.dumps({"title": "日报 2026-11-27", "lines": ["漏斗 12.3%", "@{chen.jie}"]}, ensure_ascii=False, sort_keys=True)
        mac = hmac.new(secret.encode("utf-8"), f"{seconds}.".encode("utf-8") + body.encode("utf-8"), digestmod=hashlib.sha256).hexdigest()
        webhook.append({"timestamp": seconds, "secret": secret, "body": body, "signature": mac})

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "chat_signatures.json"), "w", encoding="utf-8") as out:
    json.dump({"dingtalk": dingtalk, "feishu": feishu, "webhook": webhook}, out, ensure_ascii=False, indent=1, sort_keys=True)
    out.write("\n")

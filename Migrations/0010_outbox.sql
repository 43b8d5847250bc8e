-- LinkStar schema, version 10: what is sent to the team's chats, decided and delivered without losing or repeating.

-- An alert condition (a review overdue, past its grace period, a follow-up that found decay, a stale series, a KPI
-- off-track) and how many times it has become true. A message is decided when a condition becomes true (occurrence
-- n + 1) and never again while it stays true; when it clears, the next time it becomes true is a new occurrence.
CREATE TABLE notify_condition (
    key        TEXT PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 200),
    occurrence INTEGER NOT NULL CHECK (occurrence >= 1),
    active     INTEGER NOT NULL CHECK (active IN (0, 1)),
    since      TEXT NOT NULL,
    cleared_at TEXT
) STRICT, WITHOUT ROWID;

-- The outbox: one row per message and channel, written in the transaction that decides it. `dedupe_key` names the
-- occurrence (`digest:2026-11-27`, `alert:kpi.off_track:12#1`), so deciding twice cannot queue it twice.
-- `payload` is the message's data as JSON (the digest, the alert), rendered in the workspace's language when sent.
CREATE TABLE outbox_message (
    id              INTEGER PRIMARY KEY,
    channel_id      INTEGER NOT NULL REFERENCES notify_channel(id),
    dedupe_key      TEXT NOT NULL CHECK (length(dedupe_key) BETWEEN 1 AND 240),
    topic           TEXT NOT NULL CHECK (topic IN ('digest', 'alert', 'test')),
    payload         TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'delivered', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT,
    created_at      TEXT NOT NULL,
    finished_at     TEXT,
    UNIQUE (channel_id, dedupe_key)
) STRICT;
CREATE INDEX outbox_message_due ON outbox_message(state, next_attempt_at);

-- Every attempt: `sending` while the request is out; `interrupted` when the sender died before it learned the answer
-- (the message is then sent again, with the same delivery id). `started_ms` (Unix milliseconds) is what the vendors'
-- rate limits are counted on.
CREATE TABLE outbox_attempt (
    id          INTEGER PRIMARY KEY,
    message_id  INTEGER NOT NULL REFERENCES outbox_message(id),
    channel_id  INTEGER NOT NULL REFERENCES notify_channel(id),
    number      INTEGER NOT NULL CHECK (number >= 1),
    started_at  TEXT NOT NULL,
    started_ms  INTEGER NOT NULL,
    finished_at TEXT,
    http_status INTEGER,
    outcome     TEXT NOT NULL CHECK (outcome IN ('sending', 'delivered', 'retry', 'failed', 'interrupted')),
    detail      TEXT,
    UNIQUE (message_id, number)
) STRICT;
CREATE INDEX outbox_attempt_channel ON outbox_attempt(channel_id, started_ms);

-- LinkStar schema, version 9: the team's chat channels and people's chat identities (who to @-mention).

CREATE TABLE person_chat_identity (
    person_id INTEGER NOT NULL REFERENCES person(id),
    field     TEXT NOT NULL CHECK (field IN ('dingtalk_mobile', 'dingtalk_user_id', 'feishu_open_id', 'wecom_user', 'slack_id')),
    value     TEXT NOT NULL CHECK (length(value) BETWEEN 1 AND 64),
    PRIMARY KEY (person_id, field)
) STRICT, WITHOUT ROWID;

-- A channel's webhook URL (robot URLs carry an access token) and signing secret are sealed with AES-GCM under the
-- workspace's notification key, a file beside the database (`<database>.key`, mode 0600): a dump or a copy of the
-- database alone shows neither. `url_shown` is the redacted address for lists and the audit log.
CREATE TABLE notify_channel (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 40),
    kind          TEXT NOT NULL CHECK (kind IN ('dingtalk', 'feishu', 'wecom', 'slack', 'webhook')),
    url_sealed    TEXT NOT NULL,
    url_shown     TEXT NOT NULL,
    secret_sealed TEXT,
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    removed_by    TEXT,
    removed_at    TEXT,
    CHECK ((removed_by IS NULL) = (removed_at IS NULL))
) STRICT;
-- A removed channel's name may be used again.
CREATE UNIQUE INDEX notify_channel_name ON notify_channel(name) WHERE removed_at IS NULL;

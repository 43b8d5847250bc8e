-- LinkStar schema, version 4: API tokens. Only the SHA-256 of a token is stored.

CREATE TABLE api_token (
    id         INTEGER PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES person(id),
    role       TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'viewer')),
    label      TEXT,
    token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    prefix     TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
) STRICT;

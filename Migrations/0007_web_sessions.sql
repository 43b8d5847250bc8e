-- LinkStar schema, version 7: web sessions. A person signs in once with an API token; the browser keeps a random
-- session id in an HttpOnly cookie and the database keeps only its SHA-256, the token it came from, a CSRF token
-- for forms, and when it expires or was ended.

CREATE TABLE web_session (
    id           INTEGER PRIMARY KEY,
    session_hash TEXT NOT NULL UNIQUE CHECK (length(session_hash) = 64),
    token_id     INTEGER NOT NULL REFERENCES api_token(id),
    csrf         TEXT NOT NULL CHECK (length(csrf) = 64),
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    ended_at     TEXT
) STRICT;

-- Issue 12: accountability that holds.

-- A person who left keeps their history but cannot act; `os_user` maps an operating-system account to a person
-- (the CLI's default identity when neither --as nor LINKSTAR_USER is given).
ALTER TABLE person ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1));
ALTER TABLE person ADD COLUMN os_user TEXT CHECK (os_user IS NULL OR length(os_user) BETWEEN 1 AND 64);
CREATE UNIQUE INDEX person_by_os_user ON person(os_user) WHERE os_user IS NOT NULL;

-- Corrections that keep history: a retired KPI keeps its past statuses and review snapshots but is no longer
-- judged; a deleted event stays in the table (and the audit) but no longer shows or confounds; a closed review
-- gets dated addenda instead of changes.
ALTER TABLE kpi ADD COLUMN retired_at TEXT;
ALTER TABLE kpi ADD COLUMN retired_by TEXT;
ALTER TABLE kpi ADD COLUMN retire_reason TEXT;
ALTER TABLE event ADD COLUMN deleted_at TEXT;
ALTER TABLE event ADD COLUMN deleted_by TEXT;
ALTER TABLE event ADD COLUMN delete_reason TEXT;
CREATE TABLE review_addendum (
    id        INTEGER PRIMARY KEY,
    review_id INTEGER NOT NULL REFERENCES review(id),
    text      TEXT NOT NULL CHECK (length(text) > 0),
    author    TEXT NOT NULL,
    at        TEXT NOT NULL
) STRICT;
CREATE INDEX review_addendum_by_review ON review_addendum(review_id, id);

-- An import keeps what it replaced, so it can be reverted exactly: for each value it updated (or confirmed unchanged,
-- which moves the value's import_id to it), the value, currency and import it replaced.
CREATE TABLE observation_replaced (
    import_id          INTEGER NOT NULL REFERENCES import_batch(id),
    day                INTEGER NOT NULL,
    segment_id         INTEGER NOT NULL,
    metric_id          INTEGER NOT NULL,
    value              REAL NOT NULL,
    currency           TEXT,
    previous_import_id INTEGER NOT NULL,
    PRIMARY KEY (import_id, day, segment_id, metric_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX observation_replaced_by_previous ON observation_replaced(previous_import_id);
-- Imports made before this migration did not keep what they replaced (0): only their inserts could be undone.
ALTER TABLE import_batch ADD COLUMN keeps_replaced INTEGER NOT NULL DEFAULT 0 CHECK (keeps_replaced IN (0, 1));
ALTER TABLE import_batch ADD COLUMN reverted_at TEXT;
ALTER TABLE import_batch ADD COLUMN reverted_by TEXT;

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

-- An action can be cancelled before it is evaluated (a mistake, or overtaken by events): a status the table's CHECK
-- did not allow, so the table is rebuilt (SQLite's documented procedure; foreign keys are checked after the migration).
CREATE TABLE action_new (
    id                 INTEGER PRIMARY KEY,
    title              TEXT NOT NULL CHECK (length(title) > 0),
    layer_key          TEXT NOT NULL REFERENCES layer(key),
    metric_id          INTEGER NOT NULL REFERENCES metric(id),
    channel            TEXT NOT NULL,
    market             TEXT NOT NULL,
    device             TEXT NOT NULL,
    kind               TEXT NOT NULL CHECK (kind IN ('ab-test', 'page', 'pricing', 'promotion', 'ads', 'email', 'other')),
    hypothesis         TEXT NOT NULL CHECK (length(hypothesis) > 0),
    expected           TEXT,
    owner_id           INTEGER REFERENCES person(id),
    ice_impact         INTEGER CHECK (ice_impact BETWEEN 1 AND 10),
    ice_confidence     INTEGER CHECK (ice_confidence BETWEEN 1 AND 10),
    ice_ease           INTEGER CHECK (ice_ease BETWEEN 1 AND 10),
    status             TEXT NOT NULL CHECK (status IN ('proposed', 'running', 'measuring', 'evaluated', 'replicated', 'rolled-back', 'archived', 'cancelled')),
    started_on         INTEGER,
    stopped_on         INTEGER,
    ramp_up_days       INTEGER NOT NULL DEFAULT 0 CHECK (ramp_up_days >= 0),
    before_from        INTEGER,
    before_to          INTEGER,
    control_channel    TEXT,
    control_market     TEXT,
    control_device     TEXT,
    planned_split_json TEXT CHECK (planned_split_json IS NULL OR json_valid(planned_split_json)),
    alpha              REAL NOT NULL DEFAULT 0.05 CHECK (alpha > 0 AND alpha < 0.5),
    verdict            TEXT CHECK (verdict IN ('won', 'lost', 'inconclusive')),
    decision           TEXT CHECK (decision IN ('replicate', 'roll-back', 'archive')),
    decision_reason    TEXT,
    replicated_from    INTEGER REFERENCES action(id),
    created_by         TEXT NOT NULL,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    review_id          INTEGER REFERENCES review(id),
    cancel_reason      TEXT,
    CHECK (stopped_on IS NULL OR (started_on IS NOT NULL AND stopped_on >= started_on)),
    CHECK ((before_from IS NULL) = (before_to IS NULL) AND (before_from IS NULL OR before_from <= before_to)),
    CHECK ((control_channel IS NULL) = (control_market IS NULL) AND (control_market IS NULL) = (control_device IS NULL)),
    CHECK ((status = 'cancelled') = (cancel_reason IS NOT NULL))
) STRICT;
INSERT INTO action_new (id, title, layer_key, metric_id, channel, market, device, kind, hypothesis, expected, owner_id, ice_impact,
                        ice_confidence, ice_ease, status, started_on, stopped_on, ramp_up_days, before_from, before_to, control_channel,
                        control_market, control_device, planned_split_json, alpha, verdict, decision, decision_reason, replicated_from,
                        created_by, created_at, updated_at, review_id)
SELECT id, title, layer_key, metric_id, channel, market, device, kind, hypothesis, expected, owner_id, ice_impact,
       ice_confidence, ice_ease, status, started_on, stopped_on, ramp_up_days, before_from, before_to, control_channel,
       control_market, control_device, planned_split_json, alpha, verdict, decision, decision_reason, replicated_from,
       created_by, created_at, updated_at, review_id
FROM action;
DROP TABLE action;
ALTER TABLE action_new RENAME TO action;
CREATE INDEX action_by_status ON action(status);
CREATE INDEX action_by_metric ON action(metric_id, status);

-- LinkStar schema, version 2: optimization actions, their A/B variant counts, evaluations and
-- follow-up checkpoints, and the event log (promotions, holidays, platform changes, outages).
-- Days are days since 1970-01-01, as in observation.

CREATE TABLE action (
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
    status             TEXT NOT NULL CHECK (status IN ('proposed', 'running', 'measuring', 'evaluated', 'replicated', 'rolled-back', 'archived')),
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
    CHECK (stopped_on IS NULL OR (started_on IS NOT NULL AND stopped_on >= started_on)),
    CHECK ((before_from IS NULL) = (before_to IS NULL) AND (before_from IS NULL OR before_from <= before_to)),
    CHECK ((control_channel IS NULL) = (control_market IS NULL) AND (control_market IS NULL) = (control_device IS NULL))
) STRICT;
CREATE INDEX action_by_status ON action(status);
CREATE INDEX action_by_metric ON action(metric_id, status);

-- A/B counts per variant (`control`, `treatment`, more allowed).
CREATE TABLE action_variant (
    action_id   INTEGER NOT NULL REFERENCES action(id),
    variant     TEXT NOT NULL CHECK (length(variant) > 0),
    exposures   INTEGER NOT NULL CHECK (exposures > 0),
    conversions INTEGER NOT NULL CHECK (conversions >= 0 AND conversions <= exposures),
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (action_id, variant)
) STRICT, WITHOUT ROWID;

-- Every evaluation and follow-up measurement, kept.
CREATE TABLE action_evaluation (
    id              INTEGER PRIMARY KEY,
    action_id       INTEGER NOT NULL REFERENCES action(id),
    purpose         TEXT NOT NULL CHECK (purpose IN ('evaluation', 'followup')),
    checkpoint_days INTEGER,
    method          TEXT NOT NULL,
    verdict         TEXT NOT NULL CHECK (verdict IN ('won', 'lost', 'inconclusive')),
    decayed         INTEGER CHECK (decayed IN (0, 1)),
    result_json     TEXT NOT NULL CHECK (json_valid(result_json)),
    evaluated_by    TEXT NOT NULL,
    evaluated_at    TEXT NOT NULL
) STRICT;
CREATE INDEX action_evaluation_by_action ON action_evaluation(action_id, id);

-- Follow-up checkpoints of a won action: +7, +30, +90 days after it stopped.
CREATE TABLE action_followup (
    action_id     INTEGER NOT NULL REFERENCES action(id),
    offset_days   INTEGER NOT NULL CHECK (offset_days > 0),
    due_on        INTEGER NOT NULL,
    evaluation_id INTEGER REFERENCES action_evaluation(id),
    PRIMARY KEY (action_id, offset_days)
) STRICT, WITHOUT ROWID;

-- Dated happenings that move numbers without any action.
CREATE TABLE event (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('promo', 'holiday', 'platform', 'stockout', 'outage', 'other')),
    title      TEXT NOT NULL CHECK (length(title) > 0),
    from_day   INTEGER NOT NULL,
    to_day     INTEGER NOT NULL,
    channel    TEXT NOT NULL,
    market     TEXT NOT NULL,
    device     TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    CHECK (to_day >= from_day)
) STRICT;
CREATE INDEX event_by_day ON event(from_day, to_day);

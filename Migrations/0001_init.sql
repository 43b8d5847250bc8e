-- LinkStar schema, version 1: people, layers, metric catalog, KPIs, playbooks,
-- audit log, and the observation store that imports fill.
-- Shipped migrations are never edited: change the schema with a new numbered file.

CREATE TABLE person (
    id           INTEGER PRIMARY KEY,
    handle       TEXT NOT NULL UNIQUE CHECK (handle = lower(handle) AND length(handle) BETWEEN 2 AND 32),
    display_name TEXT NOT NULL CHECK (length(display_name) > 0),
    role         TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'viewer')),
    contact      TEXT,
    created_at   TEXT NOT NULL
) STRICT;

CREATE TABLE layer (
    key                 TEXT PRIMARY KEY CHECK (key IN ('traffic', 'landing', 'conversion', 'retention', 'feedback')),
    position            INTEGER NOT NULL UNIQUE CHECK (position BETWEEN 1 AND 5),
    name_en             TEXT NOT NULL,
    name_zh             TEXT NOT NULL,
    covers              TEXT NOT NULL,
    owner_id            INTEGER REFERENCES person(id),
    backup_owner_id     INTEGER REFERENCES person(id),
    playbook_version_id INTEGER REFERENCES playbook_version(id),
    CHECK (owner_id IS NULL OR backup_owner_id IS NULL OR owner_id <> backup_owner_id)
) STRICT;

CREATE TABLE metric (
    id              INTEGER PRIMARY KEY,
    key             TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    definition      TEXT NOT NULL,
    unit            TEXT NOT NULL CHECK (unit IN ('count', 'currency', 'ratio', 'seconds')),
    direction       TEXT NOT NULL CHECK (direction IN ('up', 'down')),
    layer_key       TEXT NOT NULL REFERENCES layer(key),
    -- Derived metrics: (numerator - subtract) / denominator over base metrics.
    numerator_key   TEXT REFERENCES metric(key),
    subtract_key    TEXT REFERENCES metric(key),
    denominator_key TEXT REFERENCES metric(key),
    upper_bound     REAL,
    builtin         INTEGER NOT NULL CHECK (builtin IN (0, 1)),
    created_at      TEXT NOT NULL,
    CHECK ((numerator_key IS NULL) = (denominator_key IS NULL)),
    CHECK (subtract_key IS NULL OR numerator_key IS NOT NULL),
    CHECK (unit <> 'ratio' OR numerator_key IS NOT NULL)
) STRICT;

CREATE TABLE kpi (
    id                 INTEGER PRIMARY KEY,
    layer_key          TEXT NOT NULL REFERENCES layer(key),
    metric_id          INTEGER NOT NULL REFERENCES metric(id),
    channel            TEXT NOT NULL,
    market             TEXT NOT NULL,
    device             TEXT NOT NULL,
    -- NULL owner: the layer owner owns the KPI.
    owner_id           INTEGER REFERENCES person(id),
    baseline_value     REAL,
    baseline_from      TEXT,
    baseline_to        TEXT,
    target_value       REAL,
    warning_band_kind  TEXT CHECK (warning_band_kind IN ('absolute', 'relative')),
    warning_band_value REAL CHECK (warning_band_value >= 0),
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    UNIQUE (layer_key, metric_id, channel, market, device),
    CHECK ((baseline_value IS NULL) = (baseline_from IS NULL) AND (baseline_from IS NULL) = (baseline_to IS NULL)),
    CHECK (baseline_from IS NULL OR baseline_from <= baseline_to),
    CHECK ((warning_band_kind IS NULL) = (warning_band_value IS NULL))
) STRICT;
CREATE INDEX kpi_by_owner ON kpi(owner_id);
CREATE INDEX kpi_by_metric ON kpi(metric_id);

CREATE TABLE playbook_version (
    id           INTEGER PRIMARY KEY,
    layer_key    TEXT NOT NULL REFERENCES layer(key),
    version      INTEGER NOT NULL CHECK (version >= 1),
    title        TEXT NOT NULL,
    cadence      TEXT NOT NULL CHECK (cadence IN ('weekly', 'biweekly', 'monthly', 'quarterly')),
    review_day   TEXT,
    source_file  TEXT NOT NULL,
    content      TEXT NOT NULL,
    content_hash TEXT NOT NULL CHECK (length(content_hash) = 64),
    synced_by    TEXT NOT NULL,
    synced_at    TEXT NOT NULL,
    UNIQUE (layer_key, version)
) STRICT;

CREATE TABLE playbook_checklist_item (
    playbook_version_id INTEGER NOT NULL REFERENCES playbook_version(id),
    position            INTEGER NOT NULL CHECK (position >= 1),
    text                TEXT NOT NULL CHECK (length(text) > 0),
    optional            INTEGER NOT NULL CHECK (optional IN (0, 1)),
    line                INTEGER NOT NULL,
    PRIMARY KEY (playbook_version_id, position)
) STRICT, WITHOUT ROWID;

-- A playbook version, once stored, is history.
CREATE TRIGGER playbook_version_is_immutable BEFORE UPDATE ON playbook_version
BEGIN SELECT RAISE(ABORT, 'playbook versions are immutable'); END;

CREATE TABLE audit_entry (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    before_json TEXT CHECK (before_json IS NULL OR json_valid(before_json)),
    after_json  TEXT CHECK (after_json IS NULL OR json_valid(after_json)),
    reason      TEXT
) STRICT;
CREATE INDEX audit_by_entity ON audit_entry(entity, entity_id, id);
CREATE INDEX audit_by_actor ON audit_entry(actor, id);

-- The audit log is append-only.
CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry
BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry
BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;

-- Concrete segments that observations live on (no '*').
CREATE TABLE segment (
    id      INTEGER PRIMARY KEY,
    channel TEXT NOT NULL CHECK (channel <> '*'),
    market  TEXT NOT NULL CHECK (market <> '*'),
    device  TEXT NOT NULL CHECK (device <> '*'),
    UNIQUE (channel, market, device)
) STRICT;

-- One import of observations: a file, an API batch, the demo generator, or a manual entry.
CREATE TABLE import_batch (
    id           INTEGER PRIMARY KEY,
    source       TEXT NOT NULL CHECK (source IN ('file', 'api', 'manual', 'demo')),
    file_name    TEXT,
    content_hash TEXT,
    format       TEXT NOT NULL,
    options_json TEXT CHECK (options_json IS NULL OR json_valid(options_json)),
    rows_read    INTEGER NOT NULL DEFAULT 0,
    rows_skipped INTEGER NOT NULL DEFAULT 0,
    rows_rejected INTEGER NOT NULL DEFAULT 0,
    inserted     INTEGER NOT NULL DEFAULT 0,
    updated      INTEGER NOT NULL DEFAULT 0,
    unchanged    INTEGER NOT NULL DEFAULT 0,
    notes_json   TEXT CHECK (notes_json IS NULL OR json_valid(notes_json)),
    actor        TEXT NOT NULL,
    imported_at  TEXT NOT NULL
) STRICT;
CREATE INDEX import_batch_by_hash ON import_batch(content_hash);

-- One value per base metric x concrete segment x day (days since 1970-01-01).
-- Derived metrics (rates) are never stored: they are recomputed from summed counts.
-- Keyed day / segment / metric: period windows (funnel, KPI status, reviews) are one range scan,
-- and date-ordered exports append instead of seeking.
-- The key columns carry no declared foreign keys: the importer resolves them in the same
-- transaction, and the triggers below refuse deleting a metric, segment or import still in use
-- (declared keys cost a third of the insert time of a million-row import).
CREATE TABLE observation (
    day        INTEGER NOT NULL CHECK (day BETWEEN -25567 AND 2932896),
    segment_id INTEGER NOT NULL,
    metric_id  INTEGER NOT NULL,
    value      REAL NOT NULL,
    currency   TEXT CHECK (currency IS NULL OR (length(currency) = 3 AND currency = upper(currency))),
    import_id  INTEGER NOT NULL,
    PRIMARY KEY (day, segment_id, metric_id)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER metric_in_use BEFORE DELETE ON metric
WHEN EXISTS (SELECT 1 FROM observation WHERE metric_id = OLD.id)
BEGIN SELECT RAISE(ABORT, 'metric has observations'); END;
CREATE TRIGGER segment_in_use BEFORE DELETE ON segment
WHEN EXISTS (SELECT 1 FROM observation WHERE segment_id = OLD.id)
BEGIN SELECT RAISE(ABORT, 'segment has observations'); END;
CREATE TRIGGER import_batch_in_use BEFORE DELETE ON import_batch
WHEN EXISTS (SELECT 1 FROM observation WHERE import_id = OLD.id)
BEGIN SELECT RAISE(ABORT, 'import has observations'); END;

-- Observations as people read them.
CREATE VIEW observation_readable AS
SELECT date(o.day * 86400, 'unixepoch') AS day, m.key AS metric, s.channel, s.market, s.device,
       o.value, o.currency, o.import_id
FROM observation o JOIN metric m ON m.id = o.metric_id JOIN segment s ON s.id = o.segment_id;

-- Exchange rates into a reporting currency: 1 unit of currency = rate units of reporting_currency.
CREATE TABLE fx_rate (
    reporting_currency TEXT NOT NULL CHECK (length(reporting_currency) = 3),
    currency           TEXT NOT NULL CHECK (length(currency) = 3),
    rate               REAL NOT NULL CHECK (rate > 0),
    set_by             TEXT NOT NULL,
    set_at             TEXT NOT NULL,
    PRIMARY KEY (reporting_currency, currency)
) STRICT;

-- Workspace settings (reporting currency, allowed data lag, ...).
CREATE TABLE setting (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

-- LinkStar schema, version 3: periodic reviews (复盘) with their checklists, findings and decisions.
-- A closed review is history: triggers refuse every change to it.

CREATE TABLE review (
    id                  INTEGER PRIMARY KEY,
    scope               TEXT NOT NULL CHECK (scope IN ('traffic', 'landing', 'conversion', 'retention', 'feedback', 'funnel')),
    cadence             TEXT NOT NULL CHECK (cadence IN ('weekly', 'biweekly', 'monthly', 'quarterly')),
    period_label        TEXT NOT NULL,
    period_from         INTEGER NOT NULL,
    period_to           INTEGER NOT NULL,
    due_on              INTEGER NOT NULL,
    playbook_version_id INTEGER REFERENCES playbook_version(id),
    status              TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    started_by          TEXT NOT NULL,
    started_at          TEXT NOT NULL,
    closed_by           TEXT,
    closed_at           TEXT,
    snapshot_json       TEXT CHECK (snapshot_json IS NULL OR json_valid(snapshot_json)),
    UNIQUE (scope, period_from),
    CHECK (period_from <= period_to),
    CHECK ((status = 'closed') = (closed_by IS NOT NULL AND closed_at IS NOT NULL AND snapshot_json IS NOT NULL))
) STRICT;
CREATE INDEX review_by_scope ON review(scope, period_from);

CREATE TABLE review_item (
    review_id  INTEGER NOT NULL REFERENCES review(id),
    position   INTEGER NOT NULL CHECK (position >= 1),
    source     TEXT NOT NULL CHECK (source IN ('playbook', 'kpi', 'action', 'followup', 'data', 'owner')),
    text       TEXT NOT NULL CHECK (length(text) > 0),
    optional   INTEGER NOT NULL CHECK (optional IN (0, 1)),
    ref        TEXT,
    checked_by TEXT,
    checked_at TEXT,
    note       TEXT,
    PRIMARY KEY (review_id, position),
    CHECK ((checked_by IS NULL) = (checked_at IS NULL))
) STRICT, WITHOUT ROWID;

CREATE TABLE review_note (
    id         INTEGER PRIMARY KEY,
    review_id  INTEGER NOT NULL REFERENCES review(id),
    kind       TEXT NOT NULL CHECK (kind IN ('finding', 'decision')),
    text       TEXT NOT NULL CHECK (length(text) > 0),
    author     TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX review_note_by_review ON review_note(review_id, id);

-- Actions created from a review.
ALTER TABLE action ADD COLUMN review_id INTEGER REFERENCES review(id);

CREATE TRIGGER review_closed_is_final BEFORE UPDATE ON review WHEN OLD.status = 'closed'
BEGIN SELECT RAISE(ABORT, 'a closed review cannot be changed'); END;
CREATE TRIGGER review_closed_not_deleted BEFORE DELETE ON review WHEN OLD.status = 'closed'
BEGIN SELECT RAISE(ABORT, 'a closed review cannot be changed'); END;
CREATE TRIGGER review_item_update_closed BEFORE UPDATE ON review_item
WHEN (SELECT status FROM review WHERE id = OLD.review_id) = 'closed'
BEGIN SELECT RAISE(ABORT, 'a closed review cannot be changed'); END;
CREATE TRIGGER review_item_insert_closed BEFORE INSERT ON review_item
WHEN (SELECT status FROM review WHERE id = NEW.review_id) = 'closed'
BEGIN SELECT RAISE(ABORT, 'a closed review cannot be changed'); END;
CREATE TRIGGER review_note_insert_closed BEFORE INSERT ON review_note
WHEN (SELECT status FROM review WHERE id = NEW.review_id) = 'closed'
BEGIN SELECT RAISE(ABORT, 'a closed review cannot be changed'); END;

-- LinkStar schema, version 14: a version per day of the daily totals (issue 16), so a long-lived process can keep the
-- window tables it read and, after a write, read again only the days that changed. Every write of a day's cells gives
-- its row the next number of `cell_version`, which only ever grows (it starts at a random value, as `reference_version`
-- does, and a restore draws a new reference number, which drops every kept table). A reader compares the versions of
-- a window's days (the index below answers without reading the cells) with those it kept. Rows written before this
-- version share the starting number; any later write of a day gives it a new one.

CREATE TABLE cell_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
) STRICT;

INSERT INTO cell_version (id, version) VALUES (1, abs(random() / 4));

ALTER TABLE cell_day ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
UPDATE cell_day SET version = (SELECT version FROM cell_version WHERE id = 1);
CREATE INDEX cell_day_by_version ON cell_day(day, version);

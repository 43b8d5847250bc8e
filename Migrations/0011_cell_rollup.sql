-- LinkStar schema, version 11: daily totals per segment (issue 16). One row per cell (one segment on one day)
-- holding every metric observed on it, so a report reads one row per cell instead of one per metric and cell.
-- `packed` is, per metric in ascending metric id order, 15 bytes: the metric id (4-byte little-endian integer), the
-- value (8-byte little-endian IEEE 754 double, the observation's exact bits) and the currency (3 ASCII letters, or
-- 3 zero bytes for a value without currency). CellRollup.swift writes and reads it; nothing else does.
-- Kept in the same transaction as every import and every revert, which rebuild the cells of each day they touch
-- from the observations. The migrator fills it from the observations right after this file runs.

CREATE TABLE cell (
    day        INTEGER NOT NULL,
    segment_id INTEGER NOT NULL,
    packed     BLOB NOT NULL CHECK (length(packed) > 0 AND length(packed) % 15 = 0),
    PRIMARY KEY (day, segment_id)
) STRICT, WITHOUT ROWID;

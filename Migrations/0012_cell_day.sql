-- LinkStar schema, version 12: the daily totals (issue 16) as one row per day instead of one per segment and day, so a
-- report over a window reads one row per day (a 60-day funnel: 60 rows instead of 4,800 at 80 segments a day).
-- `packed` holds the day's cells in ascending segment id order, each as: the segment id (8-byte little-endian integer),
-- the number of metrics observed on it (4-byte little-endian integer, at least 1), then per metric in ascending metric
-- id order 15 bytes: the metric id (4-byte little-endian integer), the value (8-byte little-endian IEEE 754 double, the
-- observation's exact bits) and the currency (3 ASCII letters, or 3 zero bytes for a value without currency).
-- CellRollup.swift writes and reads it; nothing else does. Kept in the same transaction as every import and every
-- revert, which rebuild the cells they touch from the observations. The migrator fills it from the observations right
-- after this file runs. The per-cell table of version 11 is dropped.

DROP TABLE cell;

CREATE TABLE cell_day (
    day    INTEGER PRIMARY KEY,
    packed BLOB NOT NULL CHECK (length(packed) >= 27)
) STRICT;

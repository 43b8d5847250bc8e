-- LinkStar schema, version 8: each series' first and last observed day (a series is one metric in one segment).
-- Kept in the same transaction as every import (which can only extend a span) and every revert (which recomputes
-- the spans of the series it touched from the observation key), so freshness checks read a few hundred rows
-- instead of scanning every observation.

CREATE TABLE series_span (
    segment_id INTEGER NOT NULL,
    metric_id  INTEGER NOT NULL,
    first_day  INTEGER NOT NULL,
    last_day   INTEGER NOT NULL CHECK (last_day >= first_day),
    PRIMARY KEY (segment_id, metric_id)
) STRICT, WITHOUT ROWID;

INSERT INTO series_span (segment_id, metric_id, first_day, last_day)
SELECT segment_id, metric_id, min(day), max(day) FROM observation GROUP BY segment_id, metric_id;

-- LinkStar schema, version 13: a number that moves with every change to the metric catalog or the segment list
-- (issue 16). Triggers keep it, so every process and connection that changes either table moves it in the same
-- transaction. A reader that finds the number it last saw reuses the catalog and segments it read then, instead of
-- reading and decoding both again for every report. It starts at a random value, so two workspaces (a restored
-- backup of another one, say) practically never share a number; it only ever grows from there.

CREATE TABLE reference_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
) STRICT;

INSERT INTO reference_version (id, version) VALUES (1, abs(random() / 4));

CREATE TRIGGER metric_inserted_moves_reference AFTER INSERT ON metric
BEGIN UPDATE reference_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER metric_updated_moves_reference AFTER UPDATE ON metric
BEGIN UPDATE reference_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER metric_deleted_moves_reference AFTER DELETE ON metric
BEGIN UPDATE reference_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER segment_inserted_moves_reference AFTER INSERT ON segment
BEGIN UPDATE reference_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER segment_updated_moves_reference AFTER UPDATE ON segment
BEGIN UPDATE reference_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER segment_deleted_moves_reference AFTER DELETE ON segment
BEGIN UPDATE reference_version SET version = version + 1 WHERE id = 1; END;

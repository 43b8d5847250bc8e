-- LinkStar schema, version 15: a number that moves with every change to the API tokens or the people they belong to
-- (issue 16). Triggers keep it, in the same transaction as the change, whichever process or connection makes it. A
-- server that finds the number it last saw keeps trusting the tokens it checked then, instead of looking each one up
-- again after every write: a data import does not move it; a revocation, a new token, a person's new role or their
-- deactivation does. It starts at a random value (and a restore draws a new one), so a restored backup or another
-- workspace practically never shows a number a server saw before; it only ever grows from there.

CREATE TABLE credential_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
) STRICT;

INSERT INTO credential_version (id, version) VALUES (1, abs(random() / 4));

CREATE TRIGGER api_token_inserted_moves_credentials AFTER INSERT ON api_token
BEGIN UPDATE credential_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER api_token_updated_moves_credentials AFTER UPDATE ON api_token
BEGIN UPDATE credential_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER api_token_deleted_moves_credentials AFTER DELETE ON api_token
BEGIN UPDATE credential_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER person_inserted_moves_credentials AFTER INSERT ON person
BEGIN UPDATE credential_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER person_updated_moves_credentials AFTER UPDATE ON person
BEGIN UPDATE credential_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER person_deleted_moves_credentials AFTER DELETE ON person
BEGIN UPDATE credential_version SET version = version + 1 WHERE id = 1; END;

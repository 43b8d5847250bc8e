-- Issue 12: accountability that holds.

-- A person who left keeps their history but cannot act; `os_user` maps an operating-system account to a person
-- (the CLI's default identity when neither --as nor LINKSTAR_USER is given).
ALTER TABLE person ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1));
ALTER TABLE person ADD COLUMN os_user TEXT CHECK (os_user IS NULL OR length(os_user) BETWEEN 1 AND 64);
CREATE UNIQUE INDEX person_by_os_user ON person(os_user) WHERE os_user IS NOT NULL;

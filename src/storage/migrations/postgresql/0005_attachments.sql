-- PostgreSQL version of sqlite/0005_attachments.sql: the same tables, columns and constraints.
-- Integers are BIGINT (SQLite's INTEGER is 64-bit); a row id that SQLite
-- assigns is an identity column here.

-- Attachments (tệp đính kèm): one row per uploaded file. The bytes live
-- encrypted in the attachments folder (services/attachments), under their id;
-- this row is what makes a file exist for the application, and it is
-- committed only after the file is durable on disk.
--
-- Times are TEXT in RFC 3339 UTC with a fixed width, as in 0002_accounts.sql.

CREATE TABLE attachments (
  id TEXT PRIMARY KEY,                     -- 32 lower-case hex characters: 128 random bits
  -- No ON DELETE: a user's files must be dealt with (their bytes are on disk)
  -- before the user can go.
  owner_user_id BIGINT NOT NULL REFERENCES users(id),
  -- NULL while the file is staged (uploaded, not yet in a dossier); set by the
  -- dossier service when it links the file to a component of a dossier. No
  -- foreign key yet: the dossiers table comes in a later migration.
  dossier_id BIGINT,
  component_code TEXT,
  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),  -- hex, of the plaintext
  size BIGINT NOT NULL CHECK (size > 0),            -- bytes of the plaintext
  media_type TEXT NOT NULL,                -- the sniffed type, as served
  original_name TEXT NOT NULL,             -- sanitised, for display and download
  key_id TEXT NOT NULL,                    -- which key encrypted the file (rotation)
  created_at TEXT NOT NULL,
  CHECK (component_code IS NULL OR dossier_id IS NOT NULL)
);
-- The per-user quota sums the staged files of one owner.
CREATE INDEX attachments_owner ON attachments (owner_user_id, dossier_id);
CREATE INDEX attachments_dossier ON attachments (dossier_id);

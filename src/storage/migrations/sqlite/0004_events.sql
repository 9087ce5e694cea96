-- The event log, the personal-data access log and the dossier number
-- counters.
--
-- Times are TEXT in RFC 3339 UTC with a fixed width
-- ("2026-01-31T08:15:00.000000Z"), as in 0002_accounts.sql.

-- Every change to a dossier (and later to other aggregates) as an immutable,
-- hash-chained fact. seq is assigned by AppendEvent (last seq + 1, never
-- reused) because the hash covers it; prev_hash/hash are lower-case hex
-- SHA-256 and the encoding they cover is documented in
-- src/core/events/event.hpp. payload is canonical JSON kept as TEXT (never a
-- JSON type that would re-format it: the hash is over the stored bytes).
CREATE TABLE events (
  seq INTEGER PRIMARY KEY,
  aggregate_type TEXT NOT NULL,
  aggregate_id INTEGER NOT NULL,
  occurred_at TEXT NOT NULL,
  actor_id INTEGER,                       -- users.id; NULL for the system
  action TEXT NOT NULL,
  from_state TEXT,
  to_state TEXT,
  payload TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
-- A dossier's history, in order.
CREATE INDEX events_aggregate ON events (aggregate_type, aggregate_id, seq);

-- Nothing is updated in place (DESIGN.md principle 2): the application cannot
-- rewrite or delete an event by mistake. Someone with the database file can
-- drop these triggers, which is what the hash chain and `motcua verify` are
-- for.
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
  SELECT RAISE(ABORT, 'events are immutable');
END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
  SELECT RAISE(ABORT, 'events are immutable');
END;

-- Every read of a dossier's personal data (DOMAIN.md 8): who, when, which
-- dossier, why, through which route and request. No foreign key to users:
-- the record must outlive anything that happens to the account.
CREATE TABLE pii_access (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL,
  aggregate_type TEXT NOT NULL,
  aggregate_id INTEGER NOT NULL,
  purpose TEXT NOT NULL CHECK (purpose <> ''),
  route TEXT NOT NULL,
  at TEXT NOT NULL,
  request_id TEXT NOT NULL
);
-- "Who looked at this dossier?" (officers, the data subject, auditors).
CREATE INDEX pii_access_aggregate ON pii_access (aggregate_type, aggregate_id, id);
-- "What did this account look at?" (a breach investigation).
CREATE INDEX pii_access_user ON pii_access (user_id, at);

-- The last dossier number given per receiving agency and Vietnamese date
-- (YYYY-MM-DD at UTC+7). Upserted in the transaction that inserts the
-- dossier, so a failed insert gives its number back: numbers stay gapless.
CREATE TABLE dossier_number_counters (
  agency_code TEXT NOT NULL,
  day TEXT NOT NULL,
  last_seq INTEGER NOT NULL CHECK (last_seq > 0),
  PRIMARY KEY (agency_code, day)
);

-- The integration spine (issue 20, src/integrations/): what motcua owes the
-- outside systems, what it exchanged with them, and what they sent it.
-- Times are TEXT in RFC 3339 UTC with a fixed width, as in 0002_accounts.sql.

-- The outbox. A row is written in the same transaction as the event it
-- derives from, so nothing is sent that was not committed and nothing
-- committed is forgotten. A delivery worker per destination takes the due
-- rows, the oldest first for each ordering key (a dossier), and marks them
-- delivered, retries them later (exponential backoff with jitter) or, when
-- the partner refused them for good or the attempts ran out, dead. An
-- administrator may retry a dead row or discard it; rows are never deleted.
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  destination TEXT NOT NULL,                -- 'dvcqg', 'email', 'sms', 'zalo'
  kind TEXT NOT NULL,                       -- 'dossier_sync', a notice template id, ...
  ordering_key TEXT NOT NULL,               -- delivered one after another in id order ('dossier:42')
  dossier_id INTEGER REFERENCES dossiers(id),
  event_seq INTEGER,                        -- the event it derives from
  payload TEXT NOT NULL,                    -- JSON: what the adapter needs beyond the database
  idempotency_key TEXT NOT NULL UNIQUE,     -- sent with every attempt; the partner's dedup key
  state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'dead', 'discarded')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_attempt_at TEXT,
  finished_at TEXT,                         -- delivered, dead or discarded
  last_error TEXT,                          -- the partner's answer to the last failed attempt
  covered_by INTEGER,                       -- delivered by a later row's message (a sync of the newer state)
  -- A worker is about to read the state this message carries (set before
  -- it reads): a later event of the same ordering key needs a row of its
  -- own. While a pending row is not taken, an event whose message carries
  -- the whole state (a dossier sync) adds none: that row will read it.
  taken INTEGER NOT NULL DEFAULT 0
);
-- The workers' queue: pending rows only, by destination.
CREATE INDEX outbox_pending ON outbox (destination, ordering_key, id) WHERE state = 'pending';
-- What waits for an administrator. (No index on the state of every row: a
-- query for the pending ones would be tempted by it, and each write of a
-- pending row would pay for it.)
CREATE INDEX outbox_dead ON outbox (destination, id) WHERE state = 'dead';
CREATE INDEX outbox_dossier ON outbox (dossier_id, id);

-- The exchange log: every message sent and received, hash-chained like the
-- event log (core/events) and each entry signed with the server's exchange
-- key (Ed25519), in the spirit of X-Road's message log. Bodies are kept as
-- their SHA-256 only (they carry the applicant's data); the partner's answer
-- is kept, cut to 2,000 bytes.
CREATE TABLE exchange_log (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  direction TEXT NOT NULL CHECK (direction IN ('out', 'in')),
  partner TEXT NOT NULL,                    -- a destination or an inbound source
  operation TEXT NOT NULL,                  -- 'DongBoHoSoMC', 'submit', ...
  message_key TEXT NOT NULL,                -- the idempotency key
  outbox_id INTEGER,
  dossier_id INTEGER,
  request_sha256 TEXT NOT NULL,
  request_bytes INTEGER NOT NULL,
  status INTEGER NOT NULL,                  -- HTTP status; 0: no answer (timeout, refused connection)
  response_sha256 TEXT NOT NULL,
  response TEXT NOT NULL,
  outcome TEXT NOT NULL,                    -- 'delivered', 'retry', 'dead', 'accepted', 'duplicate', 'refused'
  duration_micros INTEGER NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  signature TEXT NOT NULL                   -- base64 Ed25519 over hash
);
CREATE INDEX exchange_log_dossier ON exchange_log (dossier_id, seq);

-- Inbound messages by their key: a partner that sends a message again gets
-- the first answer again, and nothing happens twice.
CREATE TABLE inbound_messages (
  partner TEXT NOT NULL,
  message_key TEXT NOT NULL,
  received_at TEXT NOT NULL,
  dossier_id INTEGER REFERENCES dossiers(id),
  answer TEXT NOT NULL,                     -- the JSON answered the first time
  PRIMARY KEY (partner, message_key)
);

-- Where each dossier stands with the national portal: what the portal has
-- acknowledged (the "dossiers synced" indicator of the 766 index counts
-- first_acked_at; docs/statistics.md).
CREATE TABLE national_sync (
  dossier_id INTEGER PRIMARY KEY REFERENCES dossiers(id),
  first_acked_at TEXT NOT NULL,
  acked_version INTEGER NOT NULL,           -- dossiers.version the portal last acknowledged
  acked_steps INTEGER NOT NULL,             -- closed steps whose history rows it acknowledged
  acked_at TEXT NOT NULL
);

-- A dossier filed elsewhere (the national portal) keeps where it came from
-- and that system's code for it; the pair is unique, so a dossier pushed
-- twice is received once.
ALTER TABLE dossiers ADD COLUMN source TEXT;
ALTER TABLE dossiers ADD COLUMN source_ref TEXT;
CREATE UNIQUE INDEX dossiers_source ON dossiers (source, source_ref) WHERE source IS NOT NULL;

-- Notifications (issue 20, section 3): who is told what, and how.
--
-- A dossier's notices go to the applicant's own contacts, on the channels
-- chosen for that dossier (by the citizen online, or at the counter on the
-- citizen's word). No row: the defaults (e-mail when an address was given,
-- Zalo or SMS to the phone; docs/integrations.md). stopped_at set: nothing
-- is sent any more, whatever the channels (the link in every message).
CREATE TABLE notification_preferences (
  dossier_id INTEGER PRIMARY KEY REFERENCES dossiers(id),
  email INTEGER NOT NULL,                        -- 1: send e-mail
  phone INTEGER NOT NULL,                        -- 1: send to the phone (Zalo ZNS, else SMS)
  language TEXT NOT NULL,                   -- 'vi' or 'en'
  stopped_at TEXT,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL                  -- 'citizen', 'counter:<user id>', 'link'
);

-- An officer's daily digest of the nearing and overdue dossiers of their
-- inbox: to the address they gave, when they asked for it.
CREATE TABLE staff_notification_settings (
  user_id INTEGER PRIMARY KEY REFERENCES users(id),
  email TEXT NOT NULL,
  daily_digest INTEGER NOT NULL,
  language TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- A dossier's messages are found through its events (each message names the
-- event it derives from), not through an index on every row's dossier: that
-- one took a random page of a large index with every notice, in the
-- transition's own write; this one grows at its end. Messages written
-- outside any event (a replay) keep a small index of their own.
DROP INDEX outbox_dossier;
CREATE INDEX outbox_event ON outbox (event_seq);
CREATE INDEX outbox_unevented ON outbox (dossier_id, id) WHERE event_seq IS NULL;

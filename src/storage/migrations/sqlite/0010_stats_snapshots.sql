-- The statistics' facts saved so that a restart need not count every dossier
-- again (issue 18; services/stats/stats_service.hpp says when they are saved
-- and how they are checked, core/stats/facts_snapshot.hpp the encoding).
--
-- A snapshot is one row here and its parts below; it counts only once
-- `complete` is 1, set in the same transaction as its last part, so a
-- snapshot cut short by a crash is never read. It holds every dossier's
-- facts as of the moment every event up to `last_event_seq` was counted;
-- the dossiers with later events are counted again from their rows when it
-- is read. `basis` fingerprints what the facts were computed with (the
-- encoding, the working calendar, the catalogue's online modes): a snapshot
-- of another basis is not used. This is a cache: deleting both tables'
-- rows costs one count from scratch at the next start, nothing else.
-- Times are TEXT in RFC 3339 UTC with a fixed width, as in 0002_accounts.sql.
CREATE TABLE stats_snapshots (
  generation INTEGER PRIMARY KEY,
  basis TEXT NOT NULL,
  last_event_seq INTEGER NOT NULL,
  dossiers INTEGER NOT NULL,
  parts INTEGER NOT NULL,
  taken_at TEXT NOT NULL,
  complete INTEGER NOT NULL DEFAULT 0
);

-- The encoded facts, base64 text (a string binds as TEXT on both engines),
-- in parts of at most a few megabytes so that no one statement is large.
CREATE TABLE stats_snapshot_parts (
  generation INTEGER NOT NULL,
  part INTEGER NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (generation, part)
);

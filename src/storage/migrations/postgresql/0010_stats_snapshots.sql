-- PostgreSQL version of sqlite/0010_stats_snapshots.sql: the same tables,
-- columns and constraints (see there for what they mean).
CREATE TABLE stats_snapshots (
  generation BIGINT PRIMARY KEY,
  basis TEXT NOT NULL,
  last_event_seq BIGINT NOT NULL,
  dossiers BIGINT NOT NULL,
  parts INTEGER NOT NULL,
  taken_at TEXT NOT NULL,
  complete INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE stats_snapshot_parts (
  generation BIGINT NOT NULL,
  part INTEGER NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (generation, part)
);

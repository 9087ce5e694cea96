-- Administrative units and agencies (đơn vị hành chính, cơ quan).
-- Units are never deleted: a merged or abolished unit gets valid_to (the first
-- day it no longer exists) and links to its successors, so old dossiers keep
-- the unit that received them. Dates are TEXT YYYY-MM-DD.
CREATE TABLE units (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('province', 'district', 'commune', 'department', 'center')),
  name TEXT NOT NULL,
  name_en TEXT,
  stats_code TEXT NOT NULL DEFAULT '',
  agency_code TEXT NOT NULL,
  parent_id INTEGER REFERENCES units(id),
  valid_from TEXT NOT NULL,
  valid_to TEXT,
  CHECK (valid_to IS NULL OR valid_to >= valid_from),
  CHECK (parent_id IS NULL OR parent_id <> id)
);

-- QCVN 102:2016 agency codes identify one agency for good.
CREATE UNIQUE INDEX units_agency_code ON units (agency_code);
-- GSO codes are never reused, even after a unit is retired; departments have none.
CREATE UNIQUE INDEX units_stats_code ON units (stats_code) WHERE stats_code <> '';
CREATE INDEX units_parent ON units (parent_id);

-- predecessor -> successor from effective_date (the predecessor's valid_to):
-- Bắc Kạn -> Thái Nguyên from 2025-07-01.
CREATE TABLE unit_links (
  predecessor_id INTEGER NOT NULL REFERENCES units(id),
  successor_id INTEGER NOT NULL REFERENCES units(id),
  effective_date TEXT NOT NULL,
  PRIMARY KEY (predecessor_id, successor_id),
  CHECK (predecessor_id <> successor_id)
);
CREATE INDEX unit_links_successor ON unit_links (successor_id);

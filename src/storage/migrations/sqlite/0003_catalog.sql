-- The procedure catalogue (danh mục thủ tục hành chính): one row per version
-- of a procedure. Versions are never deleted or renumbered: a dossier keeps
-- the row id of the version it was received under. Dates are TEXT
-- YYYY-MM-DD. Components and fees are JSON arrays in the form of
-- core/catalog/procedure_json.hpp: they are read and written whole with their
-- version and never queried by SQL.
CREATE TABLE procedures (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL,                    -- national code: 1.001193.000.00.00.H12
  version INTEGER NOT NULL CHECK (version >= 1),
  status TEXT NOT NULL CHECK (status IN ('draft', 'published', 'retired')),
  name TEXT NOT NULL,
  name_en TEXT,
  field TEXT NOT NULL,                   -- lĩnh vực
  levels TEXT NOT NULL,                  -- comma-separated: 'province,commune'
  online_mode TEXT NOT NULL CHECK (online_mode IN ('full', 'partial', 'none')),
  time_limit_value INTEGER NOT NULL CHECK (time_limit_value >= 0),
  time_limit_unit TEXT NOT NULL CHECK (time_limit_unit IN ('working_days', 'working_hours')),
  cutoff_1500 INTEGER NOT NULL CHECK (cutoff_1500 IN (0, 1)),
  fees TEXT NOT NULL,                    -- JSON array
  components TEXT NOT NULL,              -- JSON array
  result_kind TEXT NOT NULL,
  workflow_code TEXT NOT NULL,
  effective_from TEXT NOT NULL,
  retired_on TEXT,                       -- first day the procedure no longer applies
  CHECK (retired_on IS NULL OR retired_on > effective_from OR status = 'draft')
);

CREATE UNIQUE INDEX procedures_code_version ON procedures (code, version);
CREATE INDEX procedures_field ON procedures (field);

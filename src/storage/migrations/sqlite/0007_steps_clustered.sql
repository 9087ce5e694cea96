-- The process control sheet stored in the order it is read: by dossier, then
-- step (WITHOUT ROWID clusters the rows on the primary key). A dossier's
-- steps sit together in one leaf page, so the public lookup and the dossier
-- page read them with one seek instead of one per step, and a transition
-- writes one B-tree per step statement instead of the table and its key
-- index. Same columns and constraints as 0006.

CREATE TABLE dossier_steps_clustered (
  dossier_id INTEGER NOT NULL REFERENCES dossiers(id),
  step INTEGER NOT NULL CHECK (step >= 1),
  action TEXT NOT NULL,
  state TEXT NOT NULL,
  from_unit_id INTEGER NOT NULL REFERENCES units(id),
  unit_id INTEGER NOT NULL REFERENCES units(id),
  handed_by INTEGER REFERENCES users(id),
  started_at TEXT NOT NULL,
  due_at TEXT,
  finished_at TEXT,
  finished_by INTEGER REFERENCES users(id),
  finish_action TEXT,
  timeliness TEXT CHECK (timeliness = 'early' OR timeliness = 'on_time' OR timeliness = 'late'),
  PRIMARY KEY (dossier_id, step)
) WITHOUT ROWID;

INSERT INTO dossier_steps_clustered
  SELECT dossier_id, step, action, state, from_unit_id, unit_id, handed_by, started_at, due_at,
         finished_at, finished_by, finish_action, timeliness
  FROM dossier_steps ORDER BY dossier_id, step;
DROP TABLE dossier_steps;
ALTER TABLE dossier_steps_clustered RENAME TO dossier_steps;

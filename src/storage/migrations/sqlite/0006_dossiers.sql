-- Dossiers (hồ sơ) and their process control sheet (phiếu kiểm soát quá trình,
-- form 06 of Circular 03/2025). These are projections of the event log: every
-- change to a row here is written in the same transaction as the event that
-- says so (services/dossiers).
--
-- Times are TEXT in RFC 3339 UTC with a fixed width
-- ("2026-01-31T08:15:00.000000Z"), as in 0002_accounts.sql, so that comparing
-- the text compares the times.
--
-- CHECKs spell value lists with OR, not IN: SQLite builds an ephemeral
-- table for every IN list of three or more values in a constraint, on every
-- row written, which cost a third of a dossier transition.

CREATE TABLE dossiers (
  id INTEGER PRIMARY KEY,
  number TEXT NOT NULL UNIQUE,             -- 000.00.21.H12-250314-0007
  lookup_hash TEXT NOT NULL,               -- core/dossier/lookup_secret.hpp
  procedure_id INTEGER NOT NULL REFERENCES procedures(id),  -- the version received under
  procedure_code TEXT NOT NULL,
  workflow_code TEXT NOT NULL,
  workflow_version INTEGER NOT NULL,
  state TEXT NOT NULL,                     -- a state of that workflow
  national_status INTEGER NOT NULL CHECK (national_status BETWEEN 1 AND 10),
  clock TEXT NOT NULL CHECK (clock = 'running' OR clock = 'paused' OR clock = 'stopped'),
  terminal INTEGER NOT NULL CHECK (terminal = 0 OR terminal = 1),
  -- Bit i set: role i of accounts::Role can act in this state (inboxes).
  acting_roles INTEGER NOT NULL,
  channel INTEGER NOT NULL CHECK (channel BETWEEN 1 AND 3),  -- counter, online, post
  -- Personal data: only what every procedure needs (core/dossier/applicant.hpp).
  applicant_name TEXT NOT NULL,
  applicant_name_key TEXT NOT NULL,        -- folded (no diacritics, lower case) for search
  applicant_id_number TEXT NOT NULL,
  applicant_phone TEXT NOT NULL,
  applicant_email TEXT NOT NULL,
  applicant_address TEXT NOT NULL,
  -- The citizen account that owns the dossier: who submitted it online, or
  -- NULL for a dossier received at a counter for someone without an account.
  citizen_user_id INTEGER REFERENCES users(id),
  created_by INTEGER NOT NULL REFERENCES users(id),
  receiving_unit_id INTEGER NOT NULL REFERENCES units(id),
  current_unit_id INTEGER NOT NULL REFERENCES units(id),
  submitted_at TEXT NOT NULL,
  accepted_at TEXT,                        -- the complete dossier was received
  clock_start TEXT,                        -- the time limit runs from here (15:00 cut-off)
  due_at TEXT,                             -- appointment (ngày hẹn trả), moved by pauses
  apology_due_at TEXT,                     -- new appointment of the last apology (form 04)
  apologies INTEGER NOT NULL DEFAULT 0,
  paused_at TEXT,                          -- set while waiting for the citizen
  paused_micros INTEGER NOT NULL DEFAULT 0,  -- working time spent paused, in total
  supplement_count INTEGER NOT NULL DEFAULT 0,
  step INTEGER NOT NULL DEFAULT 0,         -- the open row of dossier_steps (0: none)
  step_due_at TEXT,                        -- due moment of the current step's budget
  finished_at TEXT,                        -- processing finished (or stopped, refused)
  returned_at TEXT,                        -- result returned
  timeliness TEXT CHECK (timeliness = 'early' OR timeliness = 'on_time' OR timeliness = 'late'),
  fee_vnd INTEGER NOT NULL DEFAULT 0,      -- financial obligation requested, whole đồng
  paid_at TEXT,                            -- when its payment was confirmed
  -- The open request to the citizen (supplements or fees), as JSON:
  -- {"kind": "supplement", "items": [...], "reason": "..."}.
  pending_request TEXT,
  -- Inbox order: the appointment once the clock runs, before that the
  -- submission time (first come, first served at intake).
  queue_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,      -- optimistic concurrency: +1 per change
  updated_at TEXT NOT NULL
);
-- Inboxes: the open dossiers of a unit in the order officers take them,
-- one index per staff role whose work they wait for (acting_roles bits 1, 2
-- and 3: officer, specialist, unit leader), so that a page of an officer's
-- inbox reads its twenty rows and no dossier waiting for someone else. The
-- trailing columns make the counts (overdue, nearing, waiting for the
-- citizen) index-only (SQLite wants the predicate's columns in the index to
-- use it alone). A dossier is in one or two of them at a time, so a
-- transition updates few index entries. dossiers_open serves other roles
-- (a workflow may give work to administrators); it changes only when a
-- dossier moves to another unit or ends.
CREATE INDEX dossiers_open ON dossiers (current_unit_id) WHERE terminal = 0;
CREATE INDEX dossiers_inbox_officer ON dossiers (current_unit_id, queue_at, id, clock, due_at, acting_roles, terminal)
  WHERE terminal = 0 AND (acting_roles & 2) <> 0;
CREATE INDEX dossiers_inbox_specialist ON dossiers (current_unit_id, queue_at, id, clock, due_at, acting_roles, terminal)
  WHERE terminal = 0 AND (acting_roles & 4) <> 0;
CREATE INDEX dossiers_inbox_leader ON dossiers (current_unit_id, queue_at, id, clock, due_at, acting_roles, terminal)
  WHERE terminal = 0 AND (acting_roles & 8) <> 0;
-- "My dossiers" of a citizen, newest first.
CREATE INDEX dossiers_citizen ON dossiers (citizen_user_id, id) WHERE citizen_user_id IS NOT NULL;

-- One row per step a dossier went through: the hand-over that started it
-- (who, from which unit to which, when), the step's due moment from the
-- action's time budget, and when and how it ended, early, on time or late.
CREATE TABLE dossier_steps (
  dossier_id INTEGER NOT NULL REFERENCES dossiers(id),
  step INTEGER NOT NULL CHECK (step >= 1),
  action TEXT NOT NULL,                    -- the action that handed the dossier over
  state TEXT NOT NULL,                     -- the state the step works in
  from_unit_id INTEGER NOT NULL REFERENCES units(id),
  unit_id INTEGER NOT NULL REFERENCES units(id),
  handed_by INTEGER REFERENCES users(id),
  started_at TEXT NOT NULL,
  due_at TEXT,                             -- NULL: no budget (waiting for the citizen)
  finished_at TEXT,
  finished_by INTEGER REFERENCES users(id),
  finish_action TEXT,
  timeliness TEXT CHECK (timeliness = 'early' OR timeliness = 'on_time' OR timeliness = 'late'),
  PRIMARY KEY (dossier_id, step)
);


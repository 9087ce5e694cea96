-- Accounts: users, their role bindings, browser sessions and API tokens.
--
-- Times are TEXT in RFC 3339 UTC with a fixed width
-- ("2026-01-31T08:15:00.000000Z"), so comparing the text compares the times
-- on both engines. Secrets are never stored: sessions and API tokens keep
-- only the hex SHA-256 of the value the client holds, passwords only their
-- argon2id hash.

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,          -- [a-z0-9._-]{3,64}, lower case
  display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,            -- argon2id encoded string (PHC format)
  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  password_changed_at TEXT NOT NULL
);

-- A role on one unit (subtree = 0) or on a unit and everything below it
-- (subtree = 1). Citizens are bound to no unit: unit_id IS NULL.
CREATE TABLE user_roles (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('citizen', 'officer', 'specialist', 'unit_leader',
                                     'province_admin', 'system_admin')),
  unit_id INTEGER REFERENCES units(id),
  subtree INTEGER NOT NULL DEFAULT 0 CHECK (subtree IN (0, 1)),
  CHECK ((role = 'citizen') = (unit_id IS NULL))
);
CREATE INDEX user_roles_user ON user_roles(user_id);
CREATE INDEX user_roles_unit ON user_roles(unit_id);

CREATE TABLE sessions (
  id INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,        -- hex SHA-256 of the cookie value
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  -- Kept in clear: it is useless without the session cookie, and the browser
  -- app must be able to fetch it again after a page reload (GET /auth/me).
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,             -- for the sliding idle timeout
  expires_at TEXT NOT NULL,               -- absolute end of life
  ip TEXT NOT NULL,
  user_agent TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expires ON sessions(expires_at);

CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,        -- hex SHA-256 of the whole "mct_..." token
  prefix TEXT NOT NULL,                   -- first characters, to recognise it in lists
  created_at TEXT NOT NULL,
  expires_at TEXT,                        -- NULL: does not expire
  last_used_at TEXT,
  revoked_at TEXT
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

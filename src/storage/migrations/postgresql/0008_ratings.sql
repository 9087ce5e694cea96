-- PostgreSQL version of sqlite/0008_ratings.sql: the same table, columns and constraints.

-- How a citizen rated the handling of their dossier (đánh giá mức độ hài
-- lòng), once, after it ended: the satisfaction indicator of Decision 766
-- (DOMAIN.md section 5) counts these. The rating itself is also an event of
-- the dossier (action "rated", with the level and without the comment),
-- which statistics are built from; this row keeps the comment, which may
-- say anything and so is shown only to the dossier's owner and its staff.
--
-- Levels as on the national portal: 3 very satisfied (rất hài lòng),
-- 2 satisfied (hài lòng), 1 not satisfied (không hài lòng).
-- Times are TEXT in RFC 3339 UTC with a fixed width, as in 0002_accounts.sql.

CREATE TABLE dossier_ratings (
  dossier_id BIGINT PRIMARY KEY REFERENCES dossiers(id),
  level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 3),
  comment TEXT NOT NULL DEFAULT '',
  -- The citizen's account, or NULL when rated with the receipt's number and
  -- code (a dossier received at a counter for someone without an account).
  rated_by BIGINT REFERENCES users(id),
  rated_at TEXT NOT NULL
);

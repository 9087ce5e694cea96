-- The signing certificates of each account (issue 19): a result is signed
-- only with a certificate registered to the account of the leader who signs,
-- so that one leader cannot sign with another's .p12 and its password. An
-- administrator who may manage the account registers the certificate (its
-- public part: motcua never holds a private key); revoking keeps the row,
-- so that who could sign with what, and when, stays on record.
-- Times are TEXT in RFC 3339 UTC with a fixed width, as in 0002_accounts.sql.
CREATE TABLE signing_certificates (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  sha256 TEXT NOT NULL UNIQUE,  -- lower-case hex of the certificate's DER
  subject TEXT NOT NULL,
  organization TEXT NOT NULL,
  issuer TEXT NOT NULL,
  serial TEXT NOT NULL,
  not_after TEXT NOT NULL,
  registered_by INTEGER REFERENCES users(id),  -- NULL: `motcua demo`
  registered_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE INDEX signing_certificates_user ON signing_certificates (user_id);

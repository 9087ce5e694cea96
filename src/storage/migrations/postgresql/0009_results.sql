-- PostgreSQL version of sqlite/0009_results.sql: the same table, columns and constraints.

-- The electronic result of a dossier (kết quả điện tử): the PDF a specialist
-- uploaded or motcua drew (the draft), and once a unit leader signed it, the
-- signed file, which is what the citizen receives and what /verify/{code}
-- vouches for. Both files are attachments of the dossier (component_code
-- NULL: not one of the documents the applicant submitted).
--
-- The verification code is public: it is printed as a QR code on the
-- signature's stamp, and tells nothing about the applicant. The signer's
-- certificate is described here as it was when it signed, so a verification
-- years later does not depend on the CA still publishing it.
-- Times are TEXT in RFC 3339 UTC with a fixed width, as in 0002_accounts.sql.

CREATE TABLE dossier_results (
  dossier_id BIGINT PRIMARY KEY REFERENCES dossiers(id),
  code TEXT NOT NULL UNIQUE,                 -- 16 lower-case base32 characters, 80 random bits
  draft_attachment_id TEXT NOT NULL REFERENCES attachments(id),
  generated INTEGER NOT NULL DEFAULT 0 CHECK (generated IN (0, 1)),  -- drawn by motcua, not uploaded
  drafted_by BIGINT NOT NULL REFERENCES users(id),
  drafted_at TEXT NOT NULL,
  signed_attachment_id TEXT REFERENCES attachments(id),
  signed_sha256 TEXT CHECK (signed_sha256 IS NULL OR length(signed_sha256) = 64),
  signed_by BIGINT REFERENCES users(id),
  signed_at TEXT,
  signer_name TEXT,
  signer_organization TEXT,
  certificate_issuer TEXT,
  certificate_serial TEXT,
  certificate_sha256 TEXT,
  CHECK ((signed_attachment_id IS NULL) = (signed_at IS NULL)),
  CHECK ((signed_attachment_id IS NULL) = (signed_sha256 IS NULL))
);
-- Verification by the file alone: whoever drops a PDF on /verify.
CREATE INDEX dossier_results_sha256 ON dossier_results (signed_sha256);

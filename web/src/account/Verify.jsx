// /verify/{code}: whoever holds a signed result, or has scanned the QR code
// on its stamp, sees what it is and who signed it, and can check that the
// file they hold is the one issued, unchanged. Without a code (/verify),
// the file alone is checked. Nobody needs an account.
import { useState } from 'preact/hooks';
import { ApiError, api } from '../common/api.js';
import { useData } from '../common/data.js';
import { formatMoment, pick, t } from '../common/i18n.js';
import { Definitions, ErrorNote, Field, FileInput, Loading, Page, useSubmit } from '../common/ui.jsx';

function Facts({ r }) {
  const c = r.certificate;
  return (
    <Definitions rows={[
      [t('lookup.number'), r.number],
      [t('verify.procedure'), pick(r, 'procedure_name')],
      [t('result.signed_by'), c.organization ? `${c.subject}, ${c.organization}` : c.subject],
      [t('result.signed_at'), formatMoment(r.signed_at)],
      [t('result.issuer'), c.issuer],
      [t('verify.fingerprint'), <code class="hash">{r.sha256}</code>],
    ]} />
  );
}

async function check(file, code) {
  let res;
  try {
    res = await fetch('/api/v1/verify' + (code ? '?code=' + encodeURIComponent(code) : ''), {
      // Anyone's check, not the signed-in user's: no cookie (and so no CSRF token).
      method: 'POST', body: file, credentials: 'omit',
      headers: { 'Content-Type': 'application/pdf', Accept: 'application/json' },
    });
  } catch {
    throw new ApiError(0, null);
  }
  const json = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, json);
  return json;
}

export function Verify({ code }) {
  // What the code names (no code: only the file is checked).
  const { data: facts, error, loading } = useData(
    code ? (signal) => api('/api/v1/verify/' + encodeURIComponent(code), { signal }) : null, [code]);
  const [file, setFile] = useState(null);
  const [verdict, setVerdict] = useState(null);

  const checking = useSubmit(async () => {
    setVerdict(null);
    setVerdict(await check(file, code));
  });

  if (loading && !facts) return <Page title={t('verify.title')}><Loading /></Page>;
  return (
    <Page title={t('verify.title')}>
      {code && facts && (
        <>
          <p class="note ok" role="status">{t('verify.issued_by_motcua')}</p>
          <Facts r={facts} />
        </>
      )}
      {error && error.status === 404 && <p class="note error" role="alert">{t('verify.no_such_code')}</p>}
      {error && error.status !== 404 && <ErrorNote error={error} />}
      <h2>{t('verify.check_file')}</h2>
      <p>{t(code ? 'verify.check_file_hint' : 'verify.check_file_hint_alone')}</p>
      <form onSubmit={checking.submit}>
        <Field id="verify-file" label={t('verify.file')}>
          {(a) => <FileInput {...a} accept="application/pdf,.pdf" names={file ? [file.name] : []}
            onFiles={(f) => { setFile(f[0] || null); setVerdict(null); }} />}
        </Field>
        <button type="submit" disabled={!file || checking.busy}>{t('verify.check')}</button>
        <ErrorNote error={checking.error} />
      </form>
      {verdict && <Verdict v={verdict} facts={!code} />}
    </Page>
  );
}

// `facts`: the result's facts too, when the page has not shown them (no code).
function Verdict({ v, facts }) {
  const s = v.signature;
  return (
    <div role="status">
      {v.verdict === 'issued' && <p class="note ok"><strong>{t('verify.verdict_issued')}</strong></p>}
      {v.verdict === 'changed' && <p class="note error"><strong>{t('verify.verdict_changed')}</strong></p>}
      {v.verdict === 'unknown' && <p class="note warn"><strong>{t('verify.verdict_unknown')}</strong></p>}
      {facts && v.result && v.verdict === 'issued' && <Facts r={v.result} />}
      {s && (
        <p class="meta">
          {s.intact ? t('verify.signature_intact', { signer: s.signer }) : t('verify.signature_broken')}
          {s.intact && !s.trusted && ` ${t('verify.signature_untrusted')}`}
        </p>
      )}
    </div>
  );
}

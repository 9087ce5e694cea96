// A dossier's electronic result once signed: the file to download, who
// signed it and when, and where anyone can check it. For the citizen's and
// the officer's dossier pages.
import { api } from './api.js';
import { useData } from './data.js';
import { formatMoment, t } from './i18n.js';
import { Definitions, ErrorNote } from './ui.jsx';

// Loads GET /api/v1/dossiers/{id}/result: [result, error, set] (set: what a
// change answered, without asking again).
export function useResult(id) {
  const { data, error, set } = useData((signal) => api(`/api/v1/dossiers/${id}/result`, { signal }), [id]);
  return [data, error, set];
}

export function SignedResult({ id, result }) {
  if (!result || result.state !== 'signed') return null;
  const c = result.certificate;
  return (
    <div class="note ok">
      <Definitions rows={[
        [t('result.signed_by'), c.organization ? `${c.subject}, ${c.organization}` : c.subject],
        [t('result.signed_at'), formatMoment(result.signed_at)],
        [t('result.issuer'), c.issuer],
        [t('result.code'), result.code],
      ]} />
      <p>
        <a class="button" href={`/api/v1/dossiers/${id}/result/file`} download={result.file.name}>{t('result.download')}</a>{' '}
        <a href={`/verify/${result.code}`}>{t('result.verify')}</a>
      </p>
    </div>
  );
}

// The citizen's view: the result when signed, nothing before.
export function MyResult({ id }) {
  const [result, error] = useResult(id);
  if (error) return <ErrorNote error={error} />;
  if (!result || result.state !== 'signed') return null;
  return (
    <>
      <h2>{t('result.title')}</h2>
      <SignedResult id={id} result={result} />
    </>
  );
}

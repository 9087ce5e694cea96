// The stop link at the end of every notice (/ngung-thong-bao?so=NUMBER&t=TOKEN):
// one button stops every notice about the dossier, without an account.
// Nothing is sent when the page opens: mail scanners open the links of the
// mail they check, and must not stop anything.
import { useState } from 'preact/hooks';
import { api } from '../common/api.js';
import { t } from '../common/i18n.js';
import { Link } from '../common/router.js';
import { ErrorNote, Page, errorText } from '../common/ui.jsx';

export function StopNotices({ query }) {
  const number = (query.get('so') || '').trim();
  const token = (query.get('t') || '').trim();
  const [stopped, setStopped] = useState(null);  // the answer: {number, stopped_at}
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  const stop = async () => {
    setBusy(true);
    setError(null);
    try {
      setStopped(await api('/api/v1/notifications/stop', { method: 'POST', body: { number, token } }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  // A wrong number or token is one answer (404); a value longer than any
  // link of ours (400) is a wrong link too. Neither gets better by retrying.
  const badLink = !!error && (error.status === 404 || error.status === 400);
  let body;
  if (!number || !token) {
    body = <ErrorNote text={t('stop.missing')} />;
  } else if (stopped) {
    body = (
      <div class="note ok" role="status">
        <p><strong>{t('stop.done', { number: stopped.number })}</strong></p>
        <p>{t('stop.again')}</p>
      </div>
    );
  } else {
    body = (
      <>
        <p>{t('stop.intro', { number })}</p>
        <ErrorNote text={badLink ? t('stop.bad_link') : errorText(error)} />
        {!badLink && <p><button type="button" disabled={busy} onClick={stop}>{t('stop.title')}</button></p>}
      </>
    );
  }
  return (
    <Page title={t('stop.title')}>
      {body}
      <p><Link href={number ? '/tra-cuu?so=' + encodeURIComponent(number) : '/tra-cuu'}>{t('nav.lookup')}</Link></p>
    </Page>
  );
}

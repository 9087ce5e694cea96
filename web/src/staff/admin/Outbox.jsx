// Connections to outside systems (/quan-tri/lien-thong): what motcua owes
// each one (the national portal today), the messages it gave up on with the
// partner's answer, and the system administrator's two decisions: send again,
// or give up with a reason (docs/integrations.md).
import { useState } from 'preact/hooks';
import { api } from '../../common/api.js';
import { useData } from '../../common/data.js';
import { formatMoment, t } from '../../common/i18n.js';
import { Link } from '../../common/router.js';
import { ErrorNote, Loading, Page, errorText } from '../../common/ui.jsx';

const STATES = ['dead', 'pending', 'delivered', 'discarded'];

// The destinations motcua delivers to; another name (a newer version's) as it is.
const KNOWN = new Set(['dvcqg']);
const destinationName = (d) => (KNOWN.has(d) ? t(`outbox.destination.${d}`) : d);

function Message({ m, onDone }) {
  const [busy, setBusy] = useState(false);
  const [reason, setReason] = useState('');
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState(null);
  const decide = async (verb, body) => {
    setBusy(true);
    setError(null);
    try {
      await api(`/api/v1/integrations/outbox/${m.id}/${verb}`, { method: 'POST', body });
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const open = m.state === 'dead' || m.state === 'pending';
  return (
    <tr>
      <td>{m.id}</td>
      <td>{destinationName(m.destination)}</td>
      <td>{m.dossier_id ? <Link href={'/can-bo/ho-so/' + m.dossier_id}>{m.dossier_number ?? m.dossier_id}</Link> : '–'}</td>
      <td>{t(`outbox.state.${m.state}`)}</td>
      <td>{m.attempts}</td>
      <td>{formatMoment(m.created_at)}</td>
      <td class="outbox-error">{m.last_error ?? ''}</td>
      <td>
        {open && (
          <div class="buttons">
            <button type="button" disabled={busy} onClick={() => decide('retry', {})}>{t('outbox.retry')}</button>
            {!asking && <button type="button" class="secondary" disabled={busy} onClick={() => setAsking(true)}>{t('outbox.discard')}</button>}
          </div>
        )}
        {open && asking && (
          <form onSubmit={(e) => { e.preventDefault(); decide('discard', { reason }); }}>
            <label for={'reason-' + m.id}>{t('outbox.reason')}</label>
            <input id={'reason-' + m.id} value={reason} required maxLength={1000} onInput={(e) => setReason(e.currentTarget.value)} />
            <button type="submit" disabled={busy}>{t('outbox.discard_confirm')}</button>
          </form>
        )}
        {error && <p class="error" role="alert">{errorText(error)}</p>}
      </td>
    </tr>
  );
}

export function Outbox() {
  const [state, setState] = useState('dead');
  const [tick, setTick] = useState(0);
  const { data, error, loading } = useData(
    (signal) => api('/api/v1/integrations/outbox', { query: { state, limit: 100 }, signal }),
    [state, tick], { every: 10000 });
  return (
    <Page title={t('outbox.title')} wide>
      <p class="hint">{t('outbox.text')}</p>
      <ErrorNote error={error} />
      {loading && !data && <Loading />}
      {data && (
        <>
          <div class="table-wrap" tabIndex={0} role="region" aria-label={t('outbox.owed')}>
            <table class="outbox-summary">
              <caption>{t('outbox.owed')}</caption>
              <thead><tr>
                <th scope="col">{t('outbox.destination')}</th><th scope="col">{t('outbox.pending')}</th>
                <th scope="col">{t('outbox.retrying')}</th><th scope="col">{t('outbox.dead')}</th>
                <th scope="col">{t('outbox.oldest')}</th><th scope="col">{t('outbox.delivered')}</th>
                <th scope="col">{t('outbox.lag')}</th>
              </tr></thead>
              <tbody>
                {data.destinations.length === 0 && <tr><td colSpan={7}>{t('outbox.none_configured')}</td></tr>}
                {data.destinations.map((d) => (
                  <tr key={d.destination}>
                    <th scope="row">{destinationName(d.destination)}{!d.active && ` (${t('outbox.inactive')})`}</th>
                    <td>{d.pending}</td><td>{d.retrying}</td><td>{d.dead}</td>
                    <td>{d.oldest_pending_at ? formatMoment(d.oldest_pending_at) : '–'}</td>
                    <td>{d.delivered_since_start ?? '–'}</td>
                    <td>{d.lag_p99_seconds == null ? '–' : t('outbox.seconds', { n: d.lag_p99_seconds })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <label for="outbox-state">{t('outbox.show')}</label>{' '}
          <select id="outbox-state" value={state} onChange={(e) => setState(e.currentTarget.value)}>
            {STATES.map((s) => <option key={s} value={s}>{t(`outbox.state.${s}`)}</option>)}
          </select>
          {data.items.length === 0 ? <p>{t('outbox.empty')}</p> : (
            <div class="table-wrap" tabIndex={0} role="region" aria-label={t('outbox.messages')}>
              <table class="outbox">
                <caption>{t('outbox.messages')}</caption>
                <thead><tr>
                  <th scope="col">#</th><th scope="col">{t('outbox.destination')}</th><th scope="col">{t('outbox.dossier')}</th>
                  <th scope="col">{t('outbox.state')}</th><th scope="col">{t('outbox.attempts')}</th>
                  <th scope="col">{t('outbox.created')}</th><th scope="col">{t('outbox.answer')}</th><th scope="col">{t('outbox.decide')}</th>
                </tr></thead>
                <tbody>
                  {data.items.map((m) => <Message key={m.id} m={m} onDone={() => setTick(tick + 1)} />)}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </Page>
  );
}

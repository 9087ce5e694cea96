// Public lookup by dossier number and lookup code (/tra-cuu). The receipt's
// QR code opens /tra-cuu?so=NUMBER&ma=CODE: the page looks the dossier up at
// once and takes the code out of the address bar and the history.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../common/api.js';
import { formatMoment, pick, t } from '../common/i18n.js';
import { navigate } from '../common/router.js';
import { Definitions, ErrorNote, Field, Page } from '../common/ui.jsx';
import { Rating } from '../common/rating.jsx';

export function Lookup({ query }) {
  const [number, setNumber] = useState(query.get('so') || '');
  const [secret, setSecret] = useState(query.get('ma') || '');
  const [missing, setMissing] = useState({});
  const [found, setFound] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const resultHeading = useRef(null);

  const lookup = async (n, s) => {
    setBusy(true);
    setError(null);
    try {
      const d = await api('/api/v1/lookup', { query: { number: n.trim(), secret: s.trim() } });
      setFound(d);
      navigate('/tra-cuu?so=' + encodeURIComponent(d.number), { replace: true });
    } catch (e) {
      setFound(null);
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    if (query.get('so') && query.get('ma')) lookup(query.get('so'), query.get('ma'));
  }, []);
  useEffect(() => { if (found) resultHeading.current?.focus(); }, [found]);

  const submit = (e) => {
    e.preventDefault();
    const m = {};
    if (!number.trim()) m.number = t('lookup.required', { field: t('lookup.number').toLowerCase() });
    if (!secret.trim()) m.secret = t('lookup.required', { field: t('lookup.secret').toLowerCase() });
    setMissing(m);
    if (Object.keys(m).length) {
      document.getElementById(m.number ? 'number' : 'secret').focus();
      return;
    }
    lookup(number, secret);
  };

  let errorText = '';
  if (error) {
    if (error.status === 404) errorText = t('lookup.not_found');
    else if (error.status === 429) errorText = t('lookup.too_many', { minutes: Math.max(1, Math.ceil(error.retryAfter / 60)) });
    else if (error.status === 400) errorText = t('lookup.not_found');
  }

  return (
    <Page title={t('lookup.title')}>
      <p>{t('lookup.intro')}</p>
      <form class="lookup" onSubmit={submit} noValidate>
        <Field id="number" label={t('lookup.number')} hint={t('lookup.number_hint')} error={missing.number}>
          {(a) => <input {...a} value={number} autoComplete="off" spellcheck={false} inputMode="text"
            onInput={(e) => setNumber(e.currentTarget.value)} />}
        </Field>
        <Field id="secret" label={t('lookup.secret')} hint={t('lookup.secret_hint')} error={missing.secret}>
          {(a) => <input {...a} value={secret} autoComplete="off" spellcheck={false} autoCapitalize="characters"
            onInput={(e) => setSecret(e.currentTarget.value)} />}
        </Field>
        <button type="submit" disabled={busy}>{t('lookup.submit')}</button>
      </form>
      <ErrorNote error={error} text={errorText} />
      {found && <LookupResult d={found} headingRef={resultHeading} />}
      {found && (
        <Rating rating={found.rating} canRate={found.can_rate}
          send={(level, comment) => api('/api/v1/lookup/rating', { method: 'POST', body: { number: found.number, secret: secret.trim(), level, comment } })} />
      )}
    </Page>
  );
}

function LookupResult({ d, headingRef }) {
  const pending = d.pending_request;
  return (
    <section class="card result" aria-labelledby="result-heading">
      <h2 id="result-heading" tabIndex={-1} ref={headingRef}>{t('lookup.result', { number: d.number })}</h2>
      <p class="state">
        <span class={'badge status-' + d.national_status}>{pick(d, 'state_name')}</span>
      </p>
      {pending && (
        <div class="note warn">
          <h3>{t('lookup.pending')}: {t(pending.kind === 'payment' ? 'lookup.pending_payment' : 'lookup.pending_supplement')}</h3>
          {pending.reason && <p>{pending.reason}</p>}
          {pending.items && <ul>{pending.items.map((i, k) => <li key={k}>{i.description}</li>)}</ul>}
        </div>
      )}
      <Definitions rows={[
        [t('lookup.procedure'), pick(d, 'procedure_name')],
        [t('lookup.applicant'), d.applicant],
        [t('lookup.receiving_unit'), d.receiving_unit],
        [t('lookup.submitted_at'), formatMoment(d.submitted_at)],
        [t('lookup.accepted_at'), d.accepted_at ? formatMoment(d.accepted_at) : t('lookup.not_yet')],
        [t('lookup.due_at'), d.due_at ? formatMoment(d.due_at) : t('lookup.not_yet')],
        d.finished_at && [t('lookup.finished_at'), formatMoment(d.finished_at)],
        d.returned_at && [t('lookup.returned_at'), formatMoment(d.returned_at)],
      ]} />
      <h3>{t('lookup.history')}</h3>
      <ol class="timeline">
        {d.steps.map((s, i) => (
          <li key={i} class={s.finished_at ? '' : 'open'}>
            <span class="when">{formatMoment(s.started_at)}</span>
            <span class="what">{pick(s, 'state_name')}{!s.finished_at && ` (${t('lookup.step_open')})`}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}

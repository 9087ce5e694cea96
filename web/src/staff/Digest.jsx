// An officer's own daily digest (/can-bo/thong-bao, where the digest e-mail
// links to): the address it goes to, whether to get it, and its language
// (GET and PUT /api/v1/account/notifications). Users have no e-mail
// otherwise: the address is given here.
import { useState } from 'preact/hooks';
import { api } from '../common/api.js';
import { useData } from '../common/data.js';
import { formatMoment, t } from '../common/i18n.js';
import { ErrorNote, Field, Loading, Page, errorText, fieldError } from '../common/ui.jsx';

const PATH = '/api/v1/account/notifications';
const FIELDS = ['email', 'daily_digest', 'language'];

export function DigestSettings() {
  const { data, error, reload, set } = useData((signal) => api(PATH, { signal }), []);
  return (
    <Page title={t('digest.title')}>
      <p>{t('digest.intro')}</p>
      {!data && (error ? <ErrorNote error={error} onRetry={reload} /> : <Loading />)}
      {data && <DigestForm data={data} onSaved={set} />}
    </Page>
  );
}

function DigestForm({ data, onSaved }) {
  const [form, setForm] = useState({ email: data.email, daily_digest: data.daily_digest, language: data.language });
  const [problems, setProblems] = useState({});  // field -> words, from the API's 400
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  // A field's error goes as soon as the field changes.
  const change = (k, v) => {
    setForm((f) => ({ ...f, [k]: v }));
    setProblems((p) => { const { [k]: gone, ...rest } = p; return rest; });
    setSaved(false);
  };
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const answer = await api(PATH, { method: 'PUT', body: { ...form, email: form.email.trim() } });
      setProblems({});
      setForm({ email: answer.email, daily_digest: answer.daily_digest, language: answer.language });
      onSaved(answer);
      setSaved(true);
    } catch (err) {
      setError(err);
      const p = {};
      for (const k of FIELDS) if (err.fields && err.fields[k]) p[k] = fieldError(err, k);
      setProblems(p);
      const first = FIELDS.find((k) => p[k]);
      if (first) document.getElementById('digest-' + first)?.focus();
    } finally {
      setBusy(false);
    }
  };
  const invalid = Object.keys(problems).length > 0;
  return (
    <form class="card narrow" onSubmit={submit} noValidate>
      <Field id="digest-email" label={t('digest.email')} hint={t('digest.email_hint')} error={problems.email}>
        {(a) => <input {...a} type="email" value={form.email} autoComplete="email" spellcheck={false} maxLength={254}
          onInput={(e) => change('email', e.currentTarget.value)} />}
      </Field>
      <div class={problems.daily_digest ? 'check field invalid' : 'check'}>
        <input type="checkbox" id="digest-daily_digest" checked={form.daily_digest}
          aria-describedby={problems.daily_digest ? 'digest-daily_digest-error' : 'digest-daily_digest-hint'}
          aria-invalid={problems.daily_digest ? 'true' : undefined}
          onChange={(e) => change('daily_digest', e.currentTarget.checked)} />
        <label for="digest-daily_digest">{t('digest.daily')}</label>
        <p class="hint" id="digest-daily_digest-hint">{t('digest.daily_hint')}</p>
        {problems.daily_digest && <p class="error-text" id="digest-daily_digest-error">{problems.daily_digest}</p>}
      </div>
      <Field id="digest-language" label={t('digest.language')} error={problems.language}>
        {(a) => (
          <select {...a} value={form.language} onChange={(e) => change('language', e.currentTarget.value)}>
            <option value="vi">{t('notify.lang.vi')}</option>
            <option value="en">{t('notify.lang.en')}</option>
          </select>
        )}
      </Field>
      <ErrorNote text={!error ? '' : error.status !== 400 ? errorText(error) : invalid ? t('form.fix') : ''} />
      {saved && (
        <p class="note ok" role="status">
          {form.daily_digest ? t('digest.saved_on', { email: form.email }) : t('digest.saved_off')}
        </p>
      )}
      <button type="submit" disabled={busy}>{t('digest.save')}</button>
      {data.updated_at && <p class="meta">{t('digest.updated', { at: formatMoment(data.updated_at) })}</p>}
    </form>
  );
}

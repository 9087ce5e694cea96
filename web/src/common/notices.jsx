// A dossier's notices to its citizen (docs/integrations.md, Notifications):
// the channels and the language they go by, and the stop, as the citizen
// chooses them on their dossier's page and as the counter records them on
// the citizen's word (PUT /api/v1/dossiers/{id}/notifications).
import { useEffect, useState } from 'preact/hooks';
import { api } from './api.js';
import { t } from './i18n.js';
import { ErrorNote, errorText } from './ui.jsx';

export const noticesPath = (id) => `/api/v1/dossiers/${encodeURIComponent(id)}/notifications`;

const formOf = (p) => ({ email: p.email, phone: p.phone, language: p.language, stopped: !!p.stopped_at });

function Check({ id, label, hint, checked, onChange }) {
  return (
    <div class="check">
      <input type="checkbox" id={id} checked={checked} aria-describedby={hint ? id + '-hint' : undefined}
        onChange={(e) => onChange(e.currentTarget.checked)} />
      <label for={id}>{label}</label>
      {hint && <p class="hint" id={id + '-hint'}>{hint}</p>}
    </div>
  );
}

// The choice as a form: `data` is the API's answer, `onSaved(answer)` gets
// the answer to the change.
export function NoticeChoice({ id, data, onSaved }) {
  const p = data.preferences;
  const [form, setForm] = useState(() => formOf(p));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [saved, setSaved] = useState(false);
  // Someone else's change (the stop link, the counter), read since.
  useEffect(() => setForm(formOf(p)), [p.updated_at, p.stopped_at]);
  const change = (k) => (v) => { setForm((f) => ({ ...f, [k]: v })); setSaved(false); };
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      onSaved(await api(noticesPath(id), { method: 'PUT', body: form }));
      setSaved(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const c = data.contacts;
  return (
    <form class="notice-choice" onSubmit={submit} noValidate>
      <fieldset>
        <legend>{t('notify.choice')}</legend>
        <Check id="notify-email" label={t('notify.email_on')} checked={form.email} onChange={change('email')}
          hint={c.email ? t('notify.to', { to: c.email }) : t('notify.no_email')} />
        <Check id="notify-phone" label={t('notify.phone_on')} checked={form.phone} onChange={change('phone')}
          hint={c.phone ? t('notify.to', { to: c.phone }) : t('notify.no_phone')} />
        <div class="field">
          <label for="notify-language">{t('notify.language')}</label>
          <select id="notify-language" value={form.language} onChange={(e) => change('language')(e.currentTarget.value)}>
            <option value="vi">{t('notify.lang.vi')}</option>
            <option value="en">{t('notify.lang.en')}</option>
          </select>
        </div>
        <Check id="notify-stopped" label={t('notify.stop')} checked={form.stopped} onChange={change('stopped')}
          hint={t('notify.stop_hint')} />
      </fieldset>
      <ErrorNote text={error && (error.status === 400 ? t('err.invalid') : errorText(error))} />
      {saved && <p class="note ok" role="status">{t('notify.saved')}</p>}
      <button type="submit" disabled={busy}>{t('notify.save')}</button>
    </form>
  );
}

// Submitting a dossier online (/nop-ho-so/{code}): where to submit, who
// applies, one file per document (with progress and a retry), consent to the
// use of personal data, then the receipt with the lookup code, shown once.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, upload } from '../common/api.js';
import { useData, useUnits } from '../common/data.js';
import { formatMoment, formatTimeLimit, pick, t } from '../common/i18n.js';
import { Link } from '../common/router.js';
import { ApplicantFields, ReceiptPdf, applicantBody, applicantProblems, emptyApplicant, receivesLevels } from '../common/dossier.jsx';
import { ErrorNote, Field, FileInput, Loading, Page, errorText } from '../common/ui.jsx';

export function Submit({ code, user }) {
  const { data: p, error: loadError } = useData(
    (signal) => api('/api/v1/procedures/' + encodeURIComponent(code), { signal }), [code]);
  const { units: all, open, error: unitsError } = useUnits();
  const [error, setError] = useState(null);
  const [form, setForm] = useState({ ...emptyApplicant, unit_id: '', full_name: user?.display_name || '' });
  const [files, setFiles] = useState({});  // component code -> {file, progress, attachment, error}
  const [consent, setConsent] = useState(false);
  const [problems, setProblems] = useState({});
  const [sending, setSending] = useState(false);
  const [receipt, setReceipt] = useState(null);
  // The units that receive this procedure; the only one is chosen.
  const units = useMemo(() => (p ? open.filter((x) => receivesLevels(x, p.levels)) : []), [p, open]);
  useEffect(() => {
    if (units.length === 1) setForm((f) => ({ ...f, unit_id: String(units[0].id) }));
  }, [units]);

  if (!user) {
    return (
      <Page title={t('submit.title')}>
        <p>{t('submit.sign_in_first')}</p>
        <p><Link href={'/dang-nhap?tiep=' + encodeURIComponent('/nop-ho-so/' + code)} class="button">{t('nav.login')}</Link>{' '}
          <Link href="/dang-ky">{t('nav.register')}</Link></p>
      </Page>
    );
  }
  if (receipt) return <Receipt r={receipt} />;
  if (!p || !all) {
    const failed = loadError || unitsError;
    return <Page title={t('submit.title')}>{failed ? <ErrorNote error={failed} /> : <Loading />}</Page>;
  }
  if (p.online_mode === 'none') {
    return <Page title={pick(p)}><p>{t('submit.not_online')}</p></Page>;
  }

  // A fixed field loses its error at once.
  const clear = (k) => setProblems((m) => { if (!(k in m)) return m; const n = { ...m }; delete n[k]; return n; });
  const set = (k) => (e) => { setForm({ ...form, [k]: e.currentTarget.value }); clear(k); };
  const send = async (c, file) => {
    setFiles((fs) => ({ ...fs, [c.code]: { file, progress: 0 } }));
    try {
      const att = await upload(file, (progress) => setFiles((fs) => ({ ...fs, [c.code]: { ...fs[c.code], progress } })));
      setFiles((fs) => ({ ...fs, [c.code]: { file, progress: 1, attachment: att } }));
      clear('file-' + c.code);
    } catch (err) {
      setFiles((fs) => ({ ...fs, [c.code]: { file, error: err } }));
    }
  };

  const submit = async (e) => {
    e.preventDefault();
    const m = {};
    if (!form.unit_id) m.unit_id = t('err.required');
    Object.assign(m, applicantProblems(form));
    for (const c of p.components) {
      if (c.required && !files[c.code]?.attachment) m['file-' + c.code] = t('submit.file_required');
    }
    if (!consent) m.consent = t('submit.consent_required');
    setProblems(m);
    const first = Object.keys(m)[0];
    if (first) { document.getElementById(first)?.focus(); return; }
    setSending(true);
    setError(null);
    try {
      const r = await api('/api/v1/dossiers', {
        method: 'POST',
        body: {
          procedure_code: p.code, unit_id: Number(form.unit_id), consent: true,
          applicant: applicantBody(form),
          files: Object.entries(files).filter(([, f]) => f.attachment).map(([component_code, f]) => ({ attachment_id: f.attachment.id, component_code })),
        },
      });
      setReceipt(r);
      window.scrollTo(0, 0);
    } catch (err) {
      setError(err);
      setSending(false);
    }
  };

  return (
    <Page title={t('submit.title_of', { name: pick(p) })}>
      <p>{t('procedure.time_limit')}: {formatTimeLimit(p.time_limit)}</p>
      <form onSubmit={submit} noValidate>
        <Field id="unit_id" label={t('submit.unit')} error={problems.unit_id}>
          {(a) => (
            <select {...a} value={form.unit_id} onChange={set('unit_id')}>
              <option value="">{t('action.choose_unit')}</option>
              {units.map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}
            </select>
          )}
        </Field>
        <ApplicantFields form={form} set={set} problems={problems} own />
        <fieldset>
          <legend>{t('procedure.components')}</legend>
          <p class="hint">{t('submit.file_hint')}</p>
          {p.components.map((c) => (
            <FileField key={c.code} c={c} state={files[c.code]} error={problems['file-' + c.code]}
              onPick={(file) => send(c, file)} onRemove={() => setFiles((fs) => { const n = { ...fs }; delete n[c.code]; return n; })} />
          ))}
        </fieldset>
        <div class={problems.consent ? 'field invalid check' : 'field check'}>
          <input type="checkbox" id="consent" checked={consent} aria-describedby={problems.consent ? 'consent-error' : undefined}
            aria-invalid={problems.consent ? 'true' : undefined} onChange={(e) => { setConsent(e.currentTarget.checked); clear('consent'); }} />
          <label for="consent">{t('submit.consent')}</label>
          {problems.consent && <p class="error-text" id="consent-error">{problems.consent}</p>}
        </div>
        {Object.keys(problems).length > 0 && <p class="error-text" role="alert">{t('form.fix')}</p>}
        <ErrorNote text={error && (error.status === 400 ? t('form.fix') : errorText(error))} />
        <button type="submit" disabled={sending}>{t('submit.send')}</button>
      </form>
    </Page>
  );
}

function FileField({ c, state, error, onPick, onRemove }) {
  const id = 'file-' + c.code;
  const label = c.name + (c.required ? ` (${t('procedure.required').toLowerCase()})` : ` (${t('procedure.optional').toLowerCase()})`);
  return (
    <div class={error ? 'field invalid file' : 'field file'}>
      <label for={id}>{label}</label>
      {!state && (
        <FileInput id={id} accept=".pdf,.jpg,.jpeg,.png,.webp,.tif,.tiff,.docx,.xlsx,application/pdf,image/*"
          aria-describedby={error ? id + '-error' : undefined} aria-invalid={error ? 'true' : undefined}
          onFiles={(fs) => fs[0] && onPick(fs[0])} />
      )}
      {state && state.attachment && (
        <p class="uploaded">{state.file.name} ✓ <button type="button" class="link" onClick={onRemove}>{t('submit.remove')}</button></p>
      )}
      {state && !state.attachment && !state.error && (
        <p><progress max="1" value={state.progress || 0} aria-label={t('submit.uploading', { name: state.file.name })} />{' '}
          {t('submit.uploading', { name: state.file.name })} {Math.round((state.progress || 0) * 100)}%</p>
      )}
      {state && state.error && (
        <div class="note error" role="alert">
          <p>{t('submit.upload_failed', { name: state.file.name })} {uploadError(state.error)}</p>
          <button type="button" onClick={() => onPick(state.file)}>{t('common.retry')}</button>{' '}
          <button type="button" class="secondary" onClick={onRemove}>{t('submit.choose_other')}</button>
        </div>
      )}
      {error && <p class="error-text" id={id + '-error'}>{error}</p>}
    </div>
  );
}

function uploadError(err) {
  if (err.status === 413) return t('submit.too_big');
  if (err.status === 400) return t('submit.bad_type');
  if (err.status === 429) return t('submit.quota');
  return errorText(err);
}

function Receipt({ r }) {
  const d = r.dossier;
  const lookup = `/tra-cuu?so=${encodeURIComponent(d.number)}&ma=${encodeURIComponent(r.lookup_secret)}`;
  return (
    <Page title={t('submit.received')}>
      <div class="card result">
        <p>{t('submit.received_text')}</p>
        <dl class="facts">
          <div><dt>{t('lookup.number')}</dt><dd><strong>{d.number}</strong></dd></div>
          <div><dt>{t('lookup.secret')}</dt><dd><strong class="secret">{r.lookup_secret}</strong></dd></div>
          <div><dt>{t('lookup.submitted_at')}</dt><dd>{formatMoment(d.submitted_at)}</dd></div>
          <div><dt>{t('lookup.receiving_unit')}</dt><dd>{d.receiving_unit.name}</dd></div>
        </dl>
        <p class="note warn">{t('submit.keep_secret')}</p>
        <p>
          <Link href={'/ho-so/' + d.id} class="button">{t('submit.open_dossier')}</Link>{' '}
          <ReceiptPdf id={d.id} number={d.number} secret={r.lookup_secret} />{' '}
          <Link href={lookup}>{t('nav.lookup')}</Link>{' '}
          <Link href="/ho-so-cua-toi">{t('nav.my_dossiers')}</Link>
        </p>
      </div>
    </Page>
  );
}

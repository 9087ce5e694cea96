// The dossier's electronic result as staff make it: a specialist (or the
// leader) puts the draft, an uploaded PDF or one motcua draws from the text
// they write; a leader signs it with their PKCS#12 file and password, which
// go to the server for that one request and are kept nowhere.
import { useState } from 'preact/hooks';
import { api, upload } from '../common/api.js';
import { formatMoment, t } from '../common/i18n.js';
import { SignedResult, useResult } from '../common/result.jsx';
import { ErrorNote, Field, FileInput, errorText, fieldError, useSubmit } from '../common/ui.jsx';

const has = (user, role) => user.roles.some((r) => r.role === role);

// The file's bytes as base64, for the JSON body.
function base64Of(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

// `onChanged`: the dossier's page reloads (its history has the new event).
export function ResultWork({ d, user, onChanged }) {
  const [result, error, setResult] = useResult(d.id);
  const [done, setDone] = useState('');
  const changed = (message) => (view) => { setResult(view); setDone(message); onChanged(); };
  if (error) return <><h2>{t('result.title')}</h2><ErrorNote error={error} /></>;
  if (!result) return null;
  const open = !d.state.terminal;
  const canDraft = open && result.state !== 'signed' && (has(user, 'specialist') || has(user, 'unit_leader'));
  const canSign = open && result.state === 'draft' && has(user, 'unit_leader');
  return (
    <section aria-labelledby="result-title">
      <h2 id="result-title">{t('result.title')}</h2>
      {done && <p class="note ok" role="status">{done}</p>}
      {result.state === 'none' && <p>{t('result.none')}</p>}
      {result.state === 'draft' && (
        <p>
          {t(result.generated ? 'result.draft_generated' : 'result.draft_uploaded', { when: formatMoment(result.drafted_at) })}{' '}
          <a href={`/api/v1/dossiers/${d.id}/result/file`} download={result.file.name}>{t('result.draft_download')}</a>
        </p>
      )}
      <SignedResult id={d.id} result={result} />
      {canSign && <SignForm id={d.id} onDone={changed(t('result.signed'))} />}
      {canDraft && <DraftForm id={d.id} replacing={result.state === 'draft'} onDone={changed(t('result.drafted'))} />}
    </section>
  );
}

function DraftForm({ id, replacing, onDone }) {
  const [how, setHow] = useState('write');
  const [content, setContent] = useState('');
  const [file, setFile] = useState(null);
  const { submit, busy, error } = useSubmit(async () => {
    const body = how === 'write' ? { generate: true, content } : { attachment: (await upload(file)).id };
    const view = await api(`/api/v1/dossiers/${id}/result`, { method: 'PUT', body });
    setContent('');
    setFile(null);
    onDone(view);
  });
  const ready = how === 'write' ? content.trim() !== '' : !!file;
  return (
    <form class="action-form" aria-label={t(replacing ? 'result.replace_draft' : 'result.make_draft')} onSubmit={submit}>
      <h3>{t(replacing ? 'result.replace_draft' : 'result.make_draft')}</h3>
      <fieldset>
        <legend>{t('result.how')}</legend>
        <label><input type="radio" name="result-how" checked={how === 'write'} onChange={() => setHow('write')} /> {t('result.how_write')}</label>
        <label><input type="radio" name="result-how" checked={how === 'upload'} onChange={() => setHow('upload')} /> {t('result.how_upload')}</label>
      </fieldset>
      {how === 'write' ? (
        <Field id="result-content" label={t('result.content')} hint={t('result.content_hint')} error={fieldError(error, 'content')}>
          {(a) => <textarea {...a} rows={6} value={content} onInput={(e) => setContent(e.currentTarget.value)} />}
        </Field>
      ) : (
        <Field id="result-file" label={t('result.file')} error={fieldError(error, 'attachment')}>
          {(a) => <FileInput {...a} accept="application/pdf,.pdf" names={file ? [file.name] : []} onFiles={(f) => setFile(f[0] || null)} />}
        </Field>
      )}
      <ErrorNote text={error && errorText(error)} />
      <button type="submit" disabled={!ready || busy}>{t('result.save_draft')}</button>
    </form>
  );
}

function SignForm({ id, onDone }) {
  const [file, setFile] = useState(null);
  const [password, setPassword] = useState('');
  const { submit, busy, error } = useSubmit(async () => {
    const view = await api(`/api/v1/dossiers/${id}/result/sign`, { method: 'POST', body: { pkcs12: await base64Of(file), password } });
    setPassword('');
    onDone(view);
  });
  const problem = (field) => error && error.fields && error.fields[field] ? t(`result.bad_${field}`) : '';
  return (
    <form class="action-form" aria-label={t('result.sign')} onSubmit={submit}>
      <h3>{t('result.sign')}</h3>
      <p class="hint">{t('result.sign_hint')}</p>
      <Field id="sign-p12" label={t('result.p12')} error={problem('pkcs12')}>
        {(a) => <FileInput {...a} accept=".p12,.pfx,application/x-pkcs12" names={file ? [file.name] : []} onFiles={(f) => setFile(f[0] || null)} />}
      </Field>
      <Field id="sign-password" label={t('result.p12_password')} error={problem('password')}>
        {(a) => <input {...a} type="password" autoComplete="off" value={password} onInput={(e) => setPassword(e.currentTarget.value)} />}
      </Field>
      <ErrorNote text={error && !error.fields?.pkcs12 && !error.fields?.password && errorText(error)} />
      <button type="submit" disabled={!file || busy}>{t('result.sign_now')}</button>
    </form>
  );
}

// Users and their roles (/quan-tri/nguoi-dung): each account with its role
// bindings; an administrator creates staff accounts, locks and unlocks them,
// and grants and removes roles (a province administrator only inside their
// subtree, and never system_admin: the API says no, and the page says why),
// and register and revoke the signing certificates a leader signs results
// with (a result is signed only with a certificate registered to the signer).
import { useState } from 'preact/hooks';
import { api } from '../../common/api.js';
import { unitName, useData, useUnits } from '../../common/data.js';
import { formatDate, formatMoment, t } from '../../common/i18n.js';
import { ErrorNote, Field, FileInput, Loading, Page, errorText, fieldError } from '../../common/ui.jsx';

const ROLES = ['citizen', 'officer', 'specialist', 'unit_leader', 'province_admin', 'system_admin'];

export function Users() {
  const { data: users, error, reload } = useData((signal) => api('/api/v1/users', { query: { limit: 200 }, signal })
    .then((r) => r.items), []);
  const { units, byId, open, error: unitsError } = useUnits();
  const [editing, setEditing] = useState(null);
  const [certificates, setCertificates] = useState(null);
  const [creating, setCreating] = useState(false);
  const [done, setDone] = useState('');
  const [rowError, setRowError] = useState(null);
  if (!users || !units) {
    const failed = error || unitsError;
    return <Page title={t('admin.users')}>{failed ? <ErrorNote error={failed} /> : <Loading />}</Page>;
  }
  const name = unitName(byId);
  const setDisabled = async (u, disabled) => {
    setRowError(null);
    try {
      await api(`/api/v1/users/${u.id}`, { method: 'PATCH', body: { disabled } });
      setDone(t(disabled ? 'admin.locked' : 'admin.unlocked', { name: u.username }));
      reload();
    } catch (err) {
      setRowError(err);
    }
  };
  return (
    <Page title={t('admin.users')} wide>
      {done && <p class="note ok" role="status">{done}</p>}
      <ErrorNote text={rowError && (rowError.status === 403 ? t('admin.not_allowed')
        : rowError.fields.disabled ? t('admin.not_yourself') : errorText(rowError))} />
      {!creating && <p><button type="button" onClick={() => { setCreating(true); setDone(''); }}>{t('admin.new_user')}</button></p>}
      {creating && <NewUser units={open} onClose={() => setCreating(false)}
        onSaved={(u) => { setCreating(false); setDone(t('admin.user_created', { name: u.username })); reload(); }} />}
      <div class="table-wrap" tabIndex={0} role="region" aria-label={t('admin.users')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('auth.username')}</th>
              <th scope="col">{t('auth.display_name')}</th>
              <th scope="col">{t('admin.roles')}</th>
              <th scope="col"><span class="visually-hidden">{t('admin.edit_roles')}</span></th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <td>{u.username}{u.disabled && ` (${t('admin.disabled')})`}</td>
                <td>{u.display_name}</td>
                <td>{u.roles.map((r, i) => (
                  <div key={i}>{t('role.' + r.role)} · {name(r.unit_id)}{r.subtree ? ` (${t('admin.subtree')})` : ''}</div>
                ))}</td>
                <td class="buttons">
                  <button type="button" class="secondary" onClick={() => { setCertificates(null); setEditing(u); }}>
                    {t('admin.edit_roles')}<span class="visually-hidden">: {u.display_name}</span></button>
                  <button type="button" class="secondary" onClick={() => { setEditing(null); setCertificates(u); }}>
                    {t('admin.certificates')}<span class="visually-hidden">: {u.display_name}</span></button>
                  <button type="button" class="secondary" onClick={() => setDisabled(u, !u.disabled)}>
                    {t(u.disabled ? 'admin.unlock' : 'admin.lock')}<span class="visually-hidden">: {u.display_name}</span></button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {certificates && <Certificates key={certificates.id} user={certificates} onClose={() => setCertificates(null)} />}
      {editing && <RolesForm key={editing.id} user={editing} units={open} name={name} onClose={() => setEditing(null)}
        onSaved={() => { setEditing(null); reload(); }} />}
    </Page>
  );
}

// A staff account with its first role; more roles are added with RolesForm.
function NewUser({ units, onClose, onSaved }) {
  const [form, setForm] = useState({ username: '', display_name: '', password: '', role: 'officer',
    unit: String(units[0]?.id || ''), subtree: false });
  const [error, setError] = useState(null);
  const [missing, setMissing] = useState({});
  const set = (k) => (e) => setForm({ ...form, [k]: e.currentTarget.type === 'checkbox' ? e.currentTarget.checked : e.currentTarget.value });
  const save = async (e) => {
    e.preventDefault();
    const m = {};
    for (const k of ['username', 'display_name', 'password']) if (!form[k].trim()) m[k] = t('err.required');
    setMissing(m);
    if (Object.keys(m).length) { document.getElementById('nu-' + Object.keys(m)[0]).focus(); return; }
    try {
      const u = await api('/api/v1/users', { method: 'POST', body: {
        username: form.username.trim(), display_name: form.display_name.trim(), password: form.password,
        roles: [{ role: form.role, unit_id: Number(form.unit), subtree: form.subtree }] } });
      onSaved(u);
    } catch (err) {
      setError(err);
    }
  };
  const problem = (k) => missing[k] || (error && error.status === 409 && k === 'username' ? t('auth.taken') : fieldError(error, k));
  return (
    <form class="card" onSubmit={save} aria-labelledby="nu-heading" noValidate>
      <h2 id="nu-heading">{t('admin.new_user')}</h2>
      <Field id="nu-username" label={t('auth.username')} error={problem('username')}>
        {(a) => <input {...a} value={form.username} autoComplete="off" spellcheck={false} onInput={set('username')} />}
      </Field>
      <Field id="nu-display_name" label={t('auth.display_name')} error={problem('display_name')}>
        {(a) => <input {...a} value={form.display_name} onInput={set('display_name')} />}
      </Field>
      <Field id="nu-password" label={t('admin.first_password')} hint={t('admin.first_password_hint')} error={problem('password')}>
        {(a) => <input {...a} type="password" autoComplete="new-password" value={form.password} onInput={set('password')} />}
      </Field>
      <div class="filters">
        <div class="field">
          <label for="nu-role">{t('admin.role')}</label>
          <select id="nu-role" value={form.role} onChange={set('role')}>
            {ROLES.filter((r) => r !== 'citizen').map((r) => <option key={r} value={r}>{t('role.' + r)}</option>)}
          </select>
        </div>
        <div class="field">
          <label for="nu-unit">{t('dossier.unit')}</label>
          <select id="nu-unit" value={form.unit} onChange={set('unit')}>
            {units.map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}
          </select>
        </div>
      </div>
      <div class="check">
        <input type="checkbox" id="nu-subtree" checked={form.subtree} onChange={set('subtree')} />
        <label for="nu-subtree">{t('admin.subtree_hint')}</label>
      </div>
      <ErrorNote text={error && error.status !== 400 && error.status !== 409 && (error.status === 403 ? t('admin.not_allowed') : errorText(error))} />
      {error && (error.status === 400 || error.status === 409) && <ErrorNote text={t('form.fix')} />}
      <div class="buttons">
        <button type="submit">{t('admin.create')}</button>
        <button type="button" class="secondary" onClick={onClose}>{t('action.cancel')}</button>
      </div>
    </form>
  );
}

// `units`: those a role may be bound to (in operation); `name`: any unit's name.
function RolesForm({ user, units, name, onClose, onSaved }) {
  const [roles, setRoles] = useState(user.roles.map((r) => ({ ...r })));
  const [role, setRole] = useState('officer');
  const [unit, setUnit] = useState(String(units[0]?.id || ''));
  const [subtree, setSubtree] = useState(false);
  const [error, setError] = useState(null);
  const save = async (e) => {
    e.preventDefault();
    try {
      await api(`/api/v1/users/${user.id}/roles`, { method: 'PUT', body: { roles } });
      onSaved();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form class="card" onSubmit={save} aria-labelledby="roles-heading">
      <h2 id="roles-heading" tabIndex={-1} ref={(el) => el && !el.dataset.f && (el.dataset.f = '1', el.focus())}>
        {t('admin.edit_roles_of', { name: user.display_name })}</h2>
      <ul>
        {roles.map((r, i) => (
          <li key={i}>{t('role.' + r.role)} · {name(r.unit_id)}{r.subtree ? ` (${t('admin.subtree')})` : ''}{' '}
            <button type="button" class="link" onClick={() => setRoles(roles.filter((_, j) => j !== i))}>{t('admin.remove')}</button></li>
        ))}
      </ul>
      <div class="filters">
        <div class="field">
          <label for="new-role">{t('admin.role')}</label>
          <select id="new-role" value={role} onChange={(e) => setRole(e.currentTarget.value)}>
            {ROLES.map((r) => <option key={r} value={r}>{t('role.' + r)}</option>)}
          </select>
        </div>
        <div class="field">
          <label for="new-unit">{t('dossier.unit')}</label>
          <select id="new-unit" value={unit} onChange={(e) => setUnit(e.currentTarget.value)}>
            {units.map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}
          </select>
        </div>
      </div>
      <div class="check">
        <input type="checkbox" id="new-subtree" checked={subtree} onChange={(e) => setSubtree(e.currentTarget.checked)} />
        <label for="new-subtree">{t('admin.subtree_hint')}</label>
      </div>
      <p><button type="button" class="secondary"
        onClick={() => setRoles([...roles, { role, unit_id: Number(unit), subtree }])}>{t('admin.add_role')}</button></p>
      <ErrorNote text={error && (error.status === 403 ? t('admin.not_allowed') : errorText(error))} />
      <div class="buttons">
        <button type="submit">{t('admin.save')}</button>
        <button type="button" class="secondary" onClick={onClose}>{t('action.cancel')}</button>
      </div>
    </form>
  );
}

// A leader's signing certificates: each with whose it is, who issued it and
// until when; a new one from its file (.cer, .crt or .pem: PEM or DER), or
// pasted as PEM text; revoking keeps the record, and signing with it stops.
function Certificates({ user, onClose }) {
  const { data: items, error, reload } = useData((signal) => api(`/api/v1/users/${user.id}/certificates`, { signal })
    .then((r) => r.items), [user.id]);
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState('');
  const [problem, setProblem] = useState(null);
  const [missing, setMissing] = useState(false);
  const [done, setDone] = useState('');
  const readFile = async ([file]) => {
    if (!file) return;
    setFileName(file.name);
    const bytes = new Uint8Array(await file.arrayBuffer());
    const asText = new TextDecoder().decode(bytes);
    // PEM as it is; DER as base64, which the API takes too.
    setText(asText.includes('-----BEGIN') ? asText : btoa(String.fromCharCode(...bytes)));
  };
  const register = async (e) => {
    e.preventDefault();
    setProblem(null);
    setDone('');
    setMissing(!text.trim());
    if (!text.trim()) { document.getElementById('cert-text').focus(); return; }
    try {
      const c = await api(`/api/v1/users/${user.id}/certificates`, { method: 'POST', body: { certificate: text } });
      setText('');
      setFileName('');
      setDone(t('admin.certificate_registered', { subject: c.subject }));
      reload();
    } catch (err) {
      setProblem(err);
    }
  };
  const revoke = async (c) => {
    setProblem(null);
    if (!window.confirm(t('admin.certificate_revoke_confirm', { subject: c.subject }))) return;
    try {
      await api(`/api/v1/users/${user.id}/certificates/${c.id}`, { method: 'DELETE' });
      setDone(t('admin.certificate_revoked', { subject: c.subject }));
      reload();
    } catch (err) {
      setProblem(err);
    }
  };
  // The API's messages are English, for developers: the page says its own.
  const certificateError = missing ? t('err.required')
    : problem?.status === 400 ? t('admin.certificate_unreadable')
      : problem?.status === 409 ? t('admin.certificate_taken') : '';
  return (
    <section class="card" aria-labelledby="cert-heading">
      <h2 id="cert-heading" tabIndex={-1} ref={(el) => el && !el.dataset.f && (el.dataset.f = '1', el.focus())}>
        {t('admin.certificates_of', { name: user.display_name })}</h2>
      <p class="hint">{t('admin.certificates_hint')}</p>
      {done && <p class="note ok" role="status">{done}</p>}
      {error && <ErrorNote error={error} />}
      {!items && !error && <Loading />}
      {items && items.length === 0 && <p>{t('admin.no_certificates')}</p>}
      {items && items.length > 0 && (
        <div class="table-wrap" tabIndex={0} role="region" aria-label={t('admin.certificates_of', { name: user.display_name })}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('admin.certificate_subject')}</th>
                <th scope="col">{t('admin.certificate_issuer')}</th>
                <th scope="col">{t('admin.certificate_valid_until')}</th>
                <th scope="col">{t('admin.certificate_state')}</th>
                <th scope="col"><span class="visually-hidden">{t('admin.certificate_revoke')}</span></th>
              </tr>
            </thead>
            <tbody>
              {items.map((c) => (
                <tr key={c.id}>
                  <td>{c.subject}{c.organization && <div class="hint">{c.organization}</div>}
                    <div class="hint">{t('admin.certificate_serial')}: {c.serial}</div></td>
                  <td>{c.issuer}</td>
                  <td>{formatDate(c.not_after)}</td>
                  <td>{c.revoked_at ? t('admin.certificate_revoked_at', { when: formatMoment(c.revoked_at) })
                    : t('admin.certificate_active')}</td>
                  <td class="buttons">{!c.revoked_at && (
                    <button type="button" class="secondary" onClick={() => revoke(c)}>
                      {t('admin.certificate_revoke')}<span class="visually-hidden">: {c.subject}</span></button>)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form onSubmit={register} aria-labelledby="cert-new-heading" noValidate>
        <h3 id="cert-new-heading">{t('admin.certificate_new')}</h3>
        <div class="field">
          <label for="cert-file">{t('admin.certificate_file')}</label>
          <FileInput id="cert-file" accept=".cer,.crt,.pem,.der" names={fileName ? [fileName] : []} onFiles={readFile} />
        </div>
        <Field id="cert-text" label={t('admin.certificate_pem')} hint={t('admin.certificate_pem_hint')} error={certificateError}>
          {(a) => <textarea {...a} rows={4} spellcheck={false} value={text} onInput={(e) => setText(e.currentTarget.value)} />}
        </Field>
        <ErrorNote text={problem && !certificateError && (problem.status === 403 ? t('admin.not_allowed') : errorText(problem))} />
        <div class="buttons">
          <button type="submit">{t('admin.certificate_register')}</button>
          <button type="button" class="secondary" onClick={onClose}>{t('admin.close')}</button>
        </div>
      </form>
    </section>
  );
}

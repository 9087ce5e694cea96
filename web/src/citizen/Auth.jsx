// Sign-in and registration. Staff who sign in here go on to their
// workspace (/can-bo/); citizens come back where they were going.
import { useState } from 'preact/hooks';
import { api, isStaff, setCsrf } from '../common/api.js';
import { t } from '../common/i18n.js';
import { Link, navigate, ownsPath } from '../common/router.js';
import { ErrorNote, Field, Page, errorText, fieldError } from '../common/ui.jsx';

function safeNext(next) {
  // Only a path on this site: never an open redirect.
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function Login({ query, onSignedIn }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const next = safeNext(query.get('tiep'));

  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await api('/api/v1/auth/login', { method: 'POST', body: { username: username.trim(), password } });
      setCsrf(r.csrf_token);
      // Staff go on to their workspace unless they were going somewhere.
      // An administrator without a desk of their own goes to administration.
      const desk = r.user.roles.some((x) => ['officer', 'specialist', 'unit_leader'].includes(x.role));
      const to = isStaff(r.user) && next === '/' ? (desk ? '/can-bo/' : '/quan-tri/') : next;
      if (!ownsPath(new URL(to, location.href).pathname)) {
        location.assign(to);  // another app of the site
        return;
      }
      onSignedIn(r.user);
      navigate(to);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  let message = '';
  if (error) {
    if (error.status === 401 || error.status === 400) message = t('auth.bad_login');
    else if (error.status === 429) message = t('auth.too_many', { minutes: Math.max(1, Math.ceil(error.retryAfter / 60)) });
    else message = errorText(error);
  }
  return (
    <Page title={t('auth.login_title')}>
      {query.get('moi') && <p class="note ok" role="status">{t('auth.registered')}</p>}
      <form class="narrow" onSubmit={submit}>
        <Field id="username" label={t('auth.username')}>
          {(a) => <input {...a} value={username} autoComplete="username" autoCapitalize="none" spellcheck={false}
            required onInput={(e) => setUsername(e.currentTarget.value)} />}
        </Field>
        <Field id="password" label={t('auth.password')}>
          {(a) => <input {...a} type="password" value={password} autoComplete="current-password" required
            onInput={(e) => setPassword(e.currentTarget.value)} />}
        </Field>
        <ErrorNote text={message} />
        <button type="submit" disabled={busy}>{t('auth.login')}</button>
      </form>
      <p>{t('auth.no_account')} <Link href="/dang-ky">{t('auth.register')}</Link></p>
    </Page>
  );
}

export function Register() {
  const [form, setForm] = useState({ display_name: '', username: '', password: '' });
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const set = (k) => (e) => setForm({ ...form, [k]: e.currentTarget.value });

  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api('/api/v1/auth/register', {
        method: 'POST',
        body: { display_name: form.display_name.trim(), username: form.username.trim().toLowerCase(), password: form.password },
      });
      navigate('/dang-nhap?moi=1');
    } catch (err) {
      setError(err);
      setBusy(false);
      const first = ['display_name', 'username', 'password'].find((f) => err.fields && err.fields[f]);
      if (first) document.getElementById(first)?.focus();
    }
  };

  const taken = error && error.status === 409;
  const fieldMessage = (f) => (taken && f === 'username' ? t('auth.taken') : fieldError(error, f));
  const general = error && !taken && error.status !== 400 ? errorText(error)
    : error && error.status === 400 ? t('form.fix') : '';
  return (
    <Page title={t('auth.register_title')}>
      <form class="narrow" onSubmit={submit}>
        <Field id="display_name" label={t('auth.display_name')} error={fieldMessage('display_name')}>
          {(a) => <input {...a} value={form.display_name} autoComplete="name" required onInput={set('display_name')} />}
        </Field>
        <Field id="username" label={t('auth.username')} hint={t('err.username_chars')} error={fieldMessage('username')}>
          {(a) => <input {...a} value={form.username} autoComplete="username" autoCapitalize="none" spellcheck={false}
            required onInput={set('username')} />}
        </Field>
        <Field id="password" label={t('auth.password')} hint={t('auth.password_hint')} error={fieldMessage('password')}>
          {(a) => <input {...a} type="password" value={form.password} autoComplete="new-password" required
            onInput={set('password')} />}
        </Field>
        <ErrorNote text={general} />
        <button type="submit" disabled={busy}>{t('auth.register')}</button>
      </form>
      <p>{t('auth.have_account')} <Link href="/dang-nhap">{t('auth.login')}</Link></p>
    </Page>
  );
}

// Pieces every page uses: the page frame, form fields with their hints and
// errors tied to them for screen readers, and the error note.
import { useEffect, useRef, useState } from 'preact/hooks';
import { currentLang, setLang, t } from './i18n.js';
import { Link } from './router.js';

export function LangSwitch() {
  const other = currentLang() === 'vi' ? 'en' : 'vi';
  return (
    <button type="button" class="lang" lang={other} aria-label={t('lang.switch_label')}
      onClick={() => setLang(other)}>
      {t('lang.switch')}
    </button>
  );
}

// Sets the document title and moves focus to the page's heading when the
// page changes, so that a screen reader announces where one has arrived.
export function Page({ title, children, wide }) {
  const heading = useRef(null);
  useEffect(() => {
    document.title = `${title} · ${t('site.name')}`;
    if (document.body.dataset.navigated && heading.current) heading.current.focus();
    document.body.dataset.navigated = '1';
  }, [title]);
  return (
    <div class={wide ? 'page wide' : 'page'}>
      <h1 tabIndex={-1} ref={heading}>{title}</h1>
      {children}
    </div>
  );
}

export function Header({ home = '/', links = [], end }) {
  return (
    <header class="top">
      <a class="skip" href="#main">{t('site.skip')}</a>
      <div class="bar">
        <Link href={home} class="brand">
          <span class="brand-name">{t('site.name')}</span>
        </Link>
        <nav aria-label={t('nav.main')}>
          <ul>
            {links.map((l) => (
              <li key={l.href}><Link href={l.href} aria-current={l.current ? 'page' : undefined}>{l.label}</Link></li>
            ))}
          </ul>
        </nav>
        <div class="bar-end">{end}<LangSwitch /></div>
      </div>
    </header>
  );
}

// A page of any app: the header (with the signed-in user and sign-out, or the
// sign-in and registration links), the page, the footer.
export function SiteFrame({ home, links, user, userLinks, onLogout, footer = true, children }) {
  let end = null;
  if (user) {
    end = (
      <>
        {userLinks}
        <span class="who">{user.display_name}</span>
        <button type="button" class="link" onClick={onLogout}>{t('nav.logout')}</button>
      </>
    );
  } else if (user === null) {
    end = (
      <>
        <Link href="/dang-nhap">{t('nav.login')}</Link>
        <Link href="/dang-ky">{t('nav.register')}</Link>
      </>
    );
  }
  return (
    <>
      <Header home={home} links={links} end={end} />
      <main id="main">{children}</main>
      {footer && <footer class="foot"><p>{t('site.tagline')}</p></footer>}
    </>
  );
}

// A file picker in the page's language: the browser's own button says
// "Choose File" in the browser's language, so the real input is laid over our
// button, transparent; it keeps the focus, the keyboard and its label.
export function FileInput({ id, multiple, accept, onFiles, names = [], ...aria }) {
  return (
    <div class="file-picker">
      <span class="button secondary" aria-hidden="true">{t(multiple ? 'file.choose_many' : 'file.choose')}</span>
      <span class="file-names" aria-hidden="true">{names.length ? names.join(', ') : t('file.none')}</span>
      <input id={id} type="file" multiple={multiple} accept={accept} {...aria}
        onChange={(e) => onFiles([...e.currentTarget.files])} />
    </div>
  );
}

export function Field({ id, label, hint, error, children }) {
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  return (
    <div class={error ? 'field invalid' : 'field'}>
      <label for={id}>{label}</label>
      {hint && <p class="hint" id={`${id}-hint`}>{hint}</p>}
      {children({ id, 'aria-describedby': describedBy, 'aria-invalid': error ? 'true' : undefined })}
      {error && <p class="error-text" id={`${id}-error`}>{error}</p>}
    </div>
  );
}

// What went wrong with a request, in the page's language.
// What went wrong, in the page's language: the API's messages are English,
// for developers and logs, so a page never shows them as they are.
export function errorText(err) {
  if (!err) return '';
  if (err.status === 0) return t('common.error_network');
  if (err.status >= 500) return t('common.error_server');
  const minutes = Math.max(1, Math.ceil((err.retryAfter || 60) / 60));
  switch (err.status) {
    case 400: return t('form.fix');
    case 401: return t('error.signed_out');
    case 403: return t('error.forbidden');
    case 404: return t('error.not_found');
    case 409: return t('error.conflict');
    case 413: return t('error.too_large');
    case 429: return t('error.too_many', { minutes });
    default: return t('error.other', { status: err.status });
  }
}

export function ErrorNote({ error, text, onRetry }) {
  const message = text || errorText(error);
  if (!message) return null;
  return (
    <div class="note error" role="alert">
      <p>{message}</p>
      {onRetry && <button type="button" onClick={onRetry}>{t('common.retry')}</button>}
    </div>
  );
}

export function Loading() {
  return <p class="loading" role="status">{t('common.loading')}</p>;
}

export function Definitions({ rows }) {
  return (
    <dl class="facts">
      {rows.filter(Boolean).map(([term, value]) => (
        <div key={term}><dt>{term}</dt><dd>{value}</dd></div>
      ))}
    </dl>
  );
}

// The API names a bad field in English; the page says it in its own words.
const known = [
  [/3 to 64 characters/, 'err.username_length'],
  [/may only contain a-z/, 'err.username_chars'],
  [/10 to 128 characters/, 'err.password_length'],
  [/most common passwords/, 'err.password_common'],
  [/must not be the username/, 'err.password_username'],
];

// More of them, from an app whose forms get other errors (administration).
export function addFieldErrors(more) { known.push(...more); }

export function fieldError(err, field) {
  const text = err && err.fields && err.fields[field];
  if (!text) return '';
  for (const [pattern, key] of known) {
    const m = text.match(pattern);
    if (m) return t(key, { n: m[1] });
  }
  return t('err.invalid');
}

// A form's submit handler that runs `work` with the form busy and keeps what
// went wrong: { submit, busy, error }.
export function useSubmit(work) {
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return { submit, busy, error };
}

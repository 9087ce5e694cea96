// The citizen portal: every page a citizen uses, in one small script that
// the build writes into index.html itself (one request on a slow phone).
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import '../common/style.css';
import { api, isStaff, whoAmI } from '../common/api.js';
import { currentLang, onLangChange, t } from '../common/i18n.js';
import { Link, match, useRoute } from '../common/router.js';
import { Header, Page } from '../common/ui.jsx';
import { Login, Register } from './Auth.jsx';
import { Home } from './Home.jsx';
import { Lookup } from './Lookup.jsx';
import { Procedure } from './Procedure.jsx';

function NotFound() {
  return (
    <Page title={t('notfound.title')}>
      <p>{t('notfound.text')}</p>
      <p><Link href="/">{t('notfound.home')}</Link></p>
    </Page>
  );
}

function App() {
  const route = useRoute();
  const [, setLang] = useState(currentLang());
  const [user, setUser] = useState(null);
  useEffect(() => onLangChange(setLang), []);
  useEffect(() => { whoAmI().then(setUser, () => setUser(null)); }, []);

  const { path, query } = route;
  let page;
  let params;
  if (path === '/') page = <Home query={query} />;
  else if ((params = match('/thu-tuc/:code', path))) page = <Procedure code={params.code} />;
  else if (match('/tra-cuu', path)) page = <Lookup query={query} />;
  else if (match('/dang-nhap', path)) page = <Login query={query} onSignedIn={setUser} />;
  else if (match('/dang-ky', path)) page = <Register />;
  else page = <NotFound />;

  const logout = async () => {
    try { await api('/api/v1/auth/logout', { method: 'POST' }); } finally { setUser(null); }
  };
  const links = [
    { href: '/', label: t('nav.procedures'), current: path === '/' || path.startsWith('/thu-tuc') },
    { href: '/tra-cuu', label: t('nav.lookup'), current: path === '/tra-cuu' },
  ];
  const end = user ? (
    <>
      {isStaff(user) && <a href="/can-bo/">{t('nav.workspace')}</a>}
      <span class="who">{user.display_name}</span>
      <button type="button" class="link" onClick={logout}>{t('nav.logout')}</button>
    </>
  ) : (
    <>
      <Link href="/dang-nhap">{t('nav.login')}</Link>
      <Link href="/dang-ky">{t('nav.register')}</Link>
    </>
  );
  return (
    <>
      <Header links={links} end={end} />
      <main id="main">{page}</main>
      <footer class="foot"><p>{t('site.tagline')}</p></footer>
    </>
  );
}

document.documentElement.lang = currentLang();
render(<App />, document.getElementById('app'));

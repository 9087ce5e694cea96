// The citizen portal: every page a citizen uses, in one small script that
// the build writes into index.html itself (one request on a slow phone).
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import '../common/style.css';
import { isStaff, logout, whoAmI } from '../common/api.js';
import { currentLang, onLangChange, t } from '../common/i18n.js';
import { Link, match, setOwnPaths, useRoute } from '../common/router.js';
import { Page, SiteFrame } from '../common/ui.jsx';
import { Login, Register } from './Auth.jsx';
import { Home } from './Home.jsx';
import { Lookup } from './Lookup.jsx';
import { Procedure } from './Procedure.jsx';

// The portal's own pages; the others (a citizen's own pages, the staff
// workspace) are other apps on the same site.
setOwnPaths((p) => !/^\/(ho-so|ho-so-cua-toi|nop-ho-so|can-bo|quan-tri|verify)(\/|$)/.test(p));

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
  const [user, setUser] = useState(undefined);  // undefined: not known yet
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

  const links = [
    { href: '/', label: t('nav.procedures'), current: path === '/' || path.startsWith('/thu-tuc') },
    { href: '/tra-cuu', label: t('nav.lookup'), current: path === '/tra-cuu' },
  ];
  const userLinks = user && (isStaff(user) ? <a href="/can-bo/">{t('nav.workspace')}</a>
    : <a href="/ho-so-cua-toi">{t('nav.my_dossiers')}</a>);
  return (
    <SiteFrame links={links} user={user} userLinks={userLinks} onLogout={() => logout().then(() => setUser(null))}>
      {page}
    </SiteFrame>
  );
}

document.documentElement.lang = currentLang();
render(<App />, document.getElementById('app'));

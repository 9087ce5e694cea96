// The citizen portal: every page a citizen uses, in one small script that
// the build writes into index.html itself (one request on a slow phone).
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import '../common/style.css';
import { isStaff, logout, whoAmI } from '../common/api.js';
import { currentLang, onLangChange, t } from '../common/i18n.js';
import { Link, findRoute, setOwnPaths, useRoute } from '../common/router.js';
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

// The portal's pages, tried in this order; `section`: the menu entry that is
// current on the page.
const routes = [
  { path: '/', section: '/', page: ({ query }) => <Home query={query} /> },
  { path: '/thu-tuc/:code', section: '/', page: ({ params }) => <Procedure code={params.code} /> },
  { path: '/tra-cuu', section: '/tra-cuu', page: ({ query }) => <Lookup query={query} /> },
  { path: '/dang-nhap', page: ({ query, setUser }) => <Login query={query} onSignedIn={setUser} /> },
  { path: '/dang-ky', page: () => <Register /> },
  { path: '/*', page: () => <NotFound /> },
];

function App() {
  const route = useRoute();
  const [, setLang] = useState(currentLang());
  const [user, setUser] = useState(undefined);  // undefined: not known yet
  useEffect(() => onLangChange(setLang), []);
  useEffect(() => { whoAmI().then(setUser, () => setUser(null)); }, []);

  const { path, query } = route;
  const found = findRoute(routes, path);
  const page = found.route.page({ params: found.params, query, setUser });
  const links = [
    { href: '/', label: t('nav.procedures') },
    { href: '/tra-cuu', label: t('nav.lookup') },
  ].map((l) => ({ ...l, current: found.route.section === l.href }));
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

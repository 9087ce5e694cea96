// A citizen's own pages: submitting online (/nop-ho-so/{code}), my dossiers
// (/ho-so-cua-toi), one of them (/ho-so/{id}), and checking a signed result
// (/verify/{code}, for anyone), and the stop link of every notice
// (/ngung-thong-bao, for anyone). A separate, cacheable
// script: the portal's first page stays small for a phone on 3G.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import '../common/style.css';
import '../common/style_work.css';
import { isStaff, logout, whoAmI } from '../common/api.js';
import { addMessages, currentLang, onLangChange, t } from '../common/i18n.js';
import { accountMessages } from '../common/messages_account.js';
import { findRoute, setOwnPaths, useRoute } from '../common/router.js';
import { Loading, Page, SiteFrame } from '../common/ui.jsx';
import { MyDossier, MyDossiers } from './MyDossiers.jsx';
import { StopNotices } from './Stop.jsx';
import { Submit } from './Submit.jsx';
import { Verify } from './Verify.jsx';

// The pages of this app, tried in this order (any other address of it shows
// the citizen's dossiers). `section`: the menu entry current on the page.
const routes = [
  { path: '/nop-ho-so/:code', page: ({ params, user }) => <Submit code={params.code} user={user} /> },
  { path: '/ho-so/:id', section: '/ho-so-cua-toi', page: ({ params, user }) => <MyDossier id={params.id} user={user} /> },
  { path: '/verify/:code', page: ({ params }) => <Verify code={params.code} /> },
  { path: '/verify', page: () => <Verify /> },
  // The stop link at the end of every notice about a dossier.
  { path: '/ngung-thong-bao', page: ({ query }) => <StopNotices query={query} /> },
  { path: '/*', section: '/ho-so-cua-toi', page: ({ user }) => <MyDossiers user={user} /> },
];

setOwnPaths((p) => p === '/ho-so-cua-toi' || p.startsWith('/ho-so/') || p.startsWith('/nop-ho-so/') ||
  p === '/verify' || p.startsWith('/verify/') || p === '/ngung-thong-bao');

function App() {
  const { path, query } = useRoute();
  const [, setLang] = useState(currentLang());
  const [user, setUser] = useState(undefined);  // undefined: not known yet
  useEffect(() => onLangChange(setLang), []);
  useEffect(() => { whoAmI().then(setUser, () => setUser(null)); }, []);

  const found = findRoute(routes, path);
  const page = user === undefined ? <Page title={t('common.loading')}><Loading /></Page>
    : found.route.page({ params: found.params, query, user });
  const links = [
    { href: '/', label: t('nav.procedures') },
    { href: '/tra-cuu', label: t('nav.lookup') },
    { href: '/ho-so-cua-toi', label: t('nav.my_dossiers'), current: found.route.section === '/ho-so-cua-toi' },
  ];
  const userLinks = user && isStaff(user) && <a href="/can-bo/">{t('nav.workspace')}</a>;
  return (
    <SiteFrame links={links} user={user} userLinks={userLinks} onLogout={() => logout().then(() => location.assign('/'))}>
      {page}
    </SiteFrame>
  );
}

addMessages(accountMessages);
document.documentElement.lang = currentLang();
render(<App />, document.getElementById('app'));

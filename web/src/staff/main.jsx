// The staff workspace (/can-bo/): a separate, cacheable script, loaded only
// by officers, specialists, leaders and administrators.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import '../common/style.css';
import { api, isStaff, whoAmI } from '../common/api.js';
import { currentLang, onLangChange, t } from '../common/i18n.js';
import { useRoute } from '../common/router.js';
import { ErrorNote, Header, Loading, Page } from '../common/ui.jsx';
import { Inbox } from './Inbox.jsx';

function App() {
  const { path, query } = useRoute();
  const [, setLang] = useState(currentLang());
  const [user, setUser] = useState(undefined);
  const [error, setError] = useState(null);
  useEffect(() => onLangChange(setLang), []);
  useEffect(() => {
    whoAmI().then((u) => {
      if (!u) location.replace('/dang-nhap?tiep=' + encodeURIComponent(location.pathname + location.search));
      else setUser(u);
    }, setError);
  }, []);

  const logout = async () => {
    try { await api('/api/v1/auth/logout', { method: 'POST' }); } finally { location.assign('/'); }
  };
  let page;
  if (error) page = <Page title={t('staff.title')}><ErrorNote error={error} /></Page>;
  else if (!user) page = <Page title={t('staff.title')}><Loading /></Page>;
  else if (!isStaff(user)) page = <Page title={t('staff.title')}><p>{t('staff.not_staff')}</p></Page>;
  else page = <Inbox query={query} />;

  const links = [{ href: '/can-bo/', label: t('staff.inbox'), current: path === '/can-bo/' || path === '/can-bo' }];
  const end = user && (
    <>
      <span class="who">{user.display_name}</span>
      <button type="button" class="link" onClick={logout}>{t('nav.logout')}</button>
    </>
  );
  return (
    <>
      <Header home="/can-bo/" links={links} end={end} />
      <main id="main">{page}</main>
    </>
  );
}

document.documentElement.lang = currentLang();
render(<App />, document.getElementById('app'));

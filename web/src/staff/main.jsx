// The staff workspace (/can-bo/): a separate, cacheable script, loaded only
// by officers, specialists, leaders and administrators.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import '../common/style.css';
import '../common/style_work.css';
import { isStaff, logout, whoAmI } from '../common/api.js';
import { addMessages, currentLang, onLangChange, t } from '../common/i18n.js';
import { accountMessages } from '../common/messages_account.js';
import { staffMessages } from '../common/messages_staff.js';
import { findRoute, setOwnPaths, useRoute } from '../common/router.js';
import { ErrorNote, Loading, Page, SiteFrame, addFieldErrors } from '../common/ui.jsx';
import { DigestSettings } from './Digest.jsx';
import { StaffDossier } from './Dossier.jsx';
import { Inbox } from './Inbox.jsx';
import { IntakePage } from './Intake.jsx';
import { Report } from './Report.jsx';
import { Statistics } from './Statistics.jsx';
import { AdminHome, isAdmin } from './admin/Admin.jsx';
import { Outbox } from './admin/Outbox.jsx';
import { Holidays } from './admin/Holidays.jsx';
import { ProcedureVersions, Procedures } from './admin/Procedures.jsx';
import { Units } from './admin/Units.jsx';
import { Users } from './admin/Users.jsx';
import { Workflow, Workflows } from './admin/Workflows.jsx';

setOwnPaths((p) => /^\/(can-bo|quan-tri)(\/|$)/.test(p));

const has = (user, role) => user.roles.some((r) => r.role === role);

// The workspace's pages, tried in this order. `menu`: the page has an entry
// in the menu, with this label, when `shown(user)` (if given) says so;
// `admin`: for administrators only; `section`: the menu entry current on the
// page (by default its own path, or administration's for `admin`). An
// unknown address under /can-bo/ shows the inbox, under /quan-tri/
// administration's first page.
const routes = [
  { path: '/can-bo/', menu: () => t('staff.inbox'), page: ({ query }) => <Inbox query={query} /> },
  { path: '/can-bo/tiep-nhan', menu: () => t('intake.title'), shown: (user) => has(user, 'officer'),
    page: ({ user }) => <IntakePage user={user} /> },
  { path: '/can-bo/thong-ke', menu: () => t('stats.nav'), page: ({ user, query }) => <Statistics user={user} query={query} /> },
  { path: '/can-bo/bao-cao', menu: () => t('report.nav'), page: ({ user, query }) => <Report user={user} query={query} /> },
  { path: '/can-bo/ho-so/:id', page: ({ params, user }) => <StaffDossier id={params.id} user={user} /> },
  // The officer's own daily digest; the digest e-mail links here.
  { path: '/can-bo/thong-bao', menu: () => t('digest.nav'), page: () => <DigestSettings /> },
  { path: '/quan-tri/', admin: true, menu: () => t('admin.title'), page: ({ user }) => <AdminHome user={user} /> },
  { path: '/quan-tri/lien-thong', admin: true, page: () => <Outbox /> },
  { path: '/quan-tri/don-vi', admin: true, page: () => <Units /> },
  { path: '/quan-tri/nguoi-dung', admin: true, page: () => <Users /> },
  { path: '/quan-tri/quy-trinh/:code', admin: true, page: ({ params }) => <Workflow code={params.code} /> },
  { path: '/quan-tri/quy-trinh', admin: true, page: () => <Workflows /> },
  { path: '/quan-tri/ngay-nghi', admin: true, page: ({ query }) => <Holidays query={query} /> },
  { path: '/quan-tri/thu-tuc/:code', admin: true, page: ({ params }) => <ProcedureVersions code={params.code} /> },
  { path: '/quan-tri/thu-tuc', admin: true, page: () => <Procedures /> },
  { path: '/quan-tri/*', admin: true, page: ({ user }) => <AdminHome user={user} /> },
  { path: '/*', section: '', page: ({ query }) => <Inbox query={query} /> },
];

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

  const found = findRoute(routes, path);
  const section = found.route.section ?? (found.route.admin ? '/quan-tri/' : found.route.path);
  let page;
  if (error) page = <Page title={t('staff.title')}><ErrorNote error={error} /></Page>;
  else if (!user) page = <Page title={t('staff.title')}><Loading /></Page>;
  else if (!isStaff(user)) page = <Page title={t('staff.title')}><p>{t('staff.not_staff')}</p></Page>;
  else if (found.route.admin && !isAdmin(user)) page = <Page title={t('admin.title')}><p>{t('admin.not_admin')}</p></Page>;
  else page = found.route.page({ params: found.params, query, user });

  const links = !user || !isStaff(user) ? [{ href: '/can-bo/', label: t('staff.inbox'), current: section === '/can-bo/' }]
    : routes.filter((r) => r.menu && (!r.shown || r.shown(user)) && (!r.admin || isAdmin(user)))
      .map((r) => ({ href: r.path, label: r.menu(), current: section === r.path }));
  return (
    <SiteFrame home="/can-bo/" links={links} user={user || undefined} footer={false}
      onLogout={() => logout().then(() => location.assign('/'))}>
      {page}
    </SiteFrame>
  );
}

addMessages(accountMessages);
addMessages(staffMessages);
// The units form's errors, in words.
addFieldErrors([
  [/has a (\d)-digit code/, 'err.digits'],
  [/must be empty for a/, 'err.must_be_empty'],
  [/QCVN 102:2016 form/, 'err.agency_code'],
  [/already used by/, 'err.taken'],
  // The daily digest's address.
  [/is not an email address/, 'err.email'],
  [/is required for a daily digest/, 'err.email_for_digest'],
]);
document.documentElement.lang = currentLang();
render(<App />, document.getElementById('app'));

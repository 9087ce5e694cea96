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
import { match, setOwnPaths, useRoute } from '../common/router.js';
import { ErrorNote, Loading, Page, SiteFrame, addFieldErrors } from '../common/ui.jsx';
import { StaffDossier } from './Dossier.jsx';
import { Inbox } from './Inbox.jsx';
import { IntakePage } from './Intake.jsx';
import { Report } from './Report.jsx';
import { Statistics } from './Statistics.jsx';
import { AdminHome, isAdmin } from './admin/Admin.jsx';
import { Holidays } from './admin/Holidays.jsx';
import { ProcedureVersions, Procedures } from './admin/Procedures.jsx';
import { Units } from './admin/Units.jsx';
import { Users } from './admin/Users.jsx';
import { Workflow, Workflows } from './admin/Workflows.jsx';

setOwnPaths((p) => /^\/(can-bo|quan-tri)(\/|$)/.test(p));

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

  let page;
  if (error) page = <Page title={t('staff.title')}><ErrorNote error={error} /></Page>;
  else if (!user) page = <Page title={t('staff.title')}><Loading /></Page>;
  else if (!isStaff(user)) page = <Page title={t('staff.title')}><p>{t('staff.not_staff')}</p></Page>;
  else {
    let params;
    if (path.startsWith('/quan-tri')) {
      if (!isAdmin(user)) page = <Page title={t('admin.title')}><p>{t('admin.not_admin')}</p></Page>;
      else if (match('/quan-tri/don-vi', path)) page = <Units />;
      else if (match('/quan-tri/nguoi-dung', path)) page = <Users />;
      else if ((params = match('/quan-tri/quy-trinh/:code', path))) page = <Workflow code={params.code} />;
      else if (match('/quan-tri/quy-trinh', path)) page = <Workflows />;
      else if (match('/quan-tri/ngay-nghi', path)) page = <Holidays query={query} />;
      else if ((params = match('/quan-tri/thu-tuc/:code', path))) page = <ProcedureVersions code={params.code} />;
      else if (match('/quan-tri/thu-tuc', path)) page = <Procedures />;
      else page = <AdminHome />;
    } else if ((params = match('/can-bo/ho-so/:id', path))) page = <StaffDossier id={params.id} user={user} />;
    else if (match('/can-bo/tiep-nhan', path)) page = <IntakePage user={user} />;
    else if (match('/can-bo/thong-ke', path)) page = <Statistics user={user} query={query} />;
    else if (match('/can-bo/bao-cao', path)) page = <Report user={user} query={query} />;
    else page = <Inbox query={query} />;
  }

  const links = [{ href: '/can-bo/', label: t('staff.inbox'), current: path === '/can-bo/' || path === '/can-bo' }];
  if (user && user.roles.some((r) => r.role === 'officer')) {
    links.push({ href: '/can-bo/tiep-nhan', label: t('intake.title'), current: path === '/can-bo/tiep-nhan' });
  }
  if (user && isStaff(user)) {
    links.push({ href: '/can-bo/thong-ke', label: t('stats.nav'), current: path === '/can-bo/thong-ke' });
    links.push({ href: '/can-bo/bao-cao', label: t('report.nav'), current: path === '/can-bo/bao-cao' });
  }
  if (isAdmin(user)) links.push({ href: '/quan-tri/', label: t('admin.title'), current: path.startsWith('/quan-tri') });
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
]);
document.documentElement.lang = currentLang();
render(<App />, document.getElementById('app'));

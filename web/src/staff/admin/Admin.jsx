// Administration (/quan-tri/): what a province or system administrator looks after.
import { t } from '../../common/i18n.js';
import { Link } from '../../common/router.js';
import { Page } from '../../common/ui.jsx';

export function AdminHome({ user }) {
  return (
    <Page title={t('admin.title')}>
      <ul class="procedures">
        <li><Link href="/quan-tri/don-vi">{t('admin.units')}</Link><p class="meta">{t('admin.units_text')}</p></li>
        <li><Link href="/quan-tri/thu-tuc">{t('admin.procedures')}</Link><p class="meta">{t('admin.procedures_text')}</p></li>
        <li><Link href="/quan-tri/nguoi-dung">{t('admin.users')}</Link><p class="meta">{t('admin.users_text')}</p></li>
        <li><Link href="/quan-tri/quy-trinh">{t('admin.workflows')}</Link><p class="meta">{t('admin.workflows_text')}</p></li>
        <li><Link href="/quan-tri/ngay-nghi">{t('admin.holidays')}</Link><p class="meta">{t('admin.holidays_text')}</p></li>
        {isSystemAdmin(user) && (
          <li><Link href="/quan-tri/lien-thong">{t('outbox.title')}</Link><p class="meta">{t('admin.outbox_text')}</p></li>
        )}
      </ul>
    </Page>
  );
}

export function isAdmin(user) {
  return !!user && user.roles.some((r) => r.role === 'province_admin' || r.role === 'system_admin');
}

// The connections to outside systems are the system administrator's.
export function isSystemAdmin(user) {
  return !!user && user.roles.some((r) => r.role === 'system_admin');
}

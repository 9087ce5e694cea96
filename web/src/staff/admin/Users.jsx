// Users and their roles (/quan-tri/nguoi-dung): each account with its role
// bindings; an administrator grants and removes them (a province
// administrator only inside their subtree, and never system_admin: the API
// says no, and the page says why).
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../common/api.js';
import { t } from '../../common/i18n.js';
import { ErrorNote, Loading, Page, errorText } from '../../common/ui.jsx';

const ROLES = ['citizen', 'officer', 'specialist', 'unit_leader', 'province_admin', 'system_admin'];

export function Users() {
  const [users, setUsers] = useState(null);
  const [units, setUnits] = useState([]);
  const [error, setError] = useState(null);
  const [editing, setEditing] = useState(null);
  const load = async () => {
    try {
      const [u, un] = await Promise.all([api('/api/v1/users', { query: { limit: 200 } }), api('/api/v1/units')]);
      setUsers(u.items);
      setUnits(un.items);
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => { load(); }, []);
  if (!users) return <Page title={t('admin.users')}>{error ? <ErrorNote error={error} /> : <Loading />}</Page>;
  const unitName = (id) => units.find((u) => u.id === id)?.name || String(id);
  return (
    <Page title={t('admin.users')} wide>
      <div class="table-wrap" tabIndex={0} role="region" aria-label={t('admin.users')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('auth.username')}</th>
              <th scope="col">{t('auth.display_name')}</th>
              <th scope="col">{t('admin.roles')}</th>
              <th scope="col"><span class="visually-hidden">{t('admin.edit_roles')}</span></th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <td>{u.username}{u.disabled && ` (${t('admin.disabled')})`}</td>
                <td>{u.display_name}</td>
                <td>{u.roles.map((r, i) => (
                  <div key={i}>{t('role.' + r.role)} · {unitName(r.unit_id)}{r.subtree ? ` (${t('admin.subtree')})` : ''}</div>
                ))}</td>
                <td><button type="button" class="secondary" onClick={() => setEditing(u)}>
                  {t('admin.edit_roles')}<span class="visually-hidden">: {u.display_name}</span></button></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {editing && <RolesForm key={editing.id} user={editing} units={units} onClose={() => setEditing(null)}
        onSaved={() => { setEditing(null); load(); }} />}
    </Page>
  );
}

function RolesForm({ user, units, onClose, onSaved }) {
  const [roles, setRoles] = useState(user.roles.map((r) => ({ ...r })));
  const [role, setRole] = useState('officer');
  const [unit, setUnit] = useState(String(units[0]?.id || ''));
  const [subtree, setSubtree] = useState(false);
  const [error, setError] = useState(null);
  const save = async (e) => {
    e.preventDefault();
    try {
      await api(`/api/v1/users/${user.id}/roles`, { method: 'PUT', body: { roles } });
      onSaved();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form class="card" onSubmit={save} aria-labelledby="roles-heading">
      <h2 id="roles-heading" tabIndex={-1} ref={(el) => el && !el.dataset.f && (el.dataset.f = '1', el.focus())}>
        {t('admin.edit_roles_of', { name: user.display_name })}</h2>
      <ul>
        {roles.map((r, i) => (
          <li key={i}>{t('role.' + r.role)} · {units.find((u) => u.id === r.unit_id)?.name}{r.subtree ? ` (${t('admin.subtree')})` : ''}{' '}
            <button type="button" class="link" onClick={() => setRoles(roles.filter((_, j) => j !== i))}>{t('admin.remove')}</button></li>
        ))}
      </ul>
      <div class="filters">
        <div class="field">
          <label for="new-role">{t('admin.role')}</label>
          <select id="new-role" value={role} onChange={(e) => setRole(e.currentTarget.value)}>
            {ROLES.map((r) => <option key={r} value={r}>{t('role.' + r)}</option>)}
          </select>
        </div>
        <div class="field">
          <label for="new-unit">{t('dossier.unit')}</label>
          <select id="new-unit" value={unit} onChange={(e) => setUnit(e.currentTarget.value)}>
            {units.map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}
          </select>
        </div>
      </div>
      <div class="check">
        <input type="checkbox" id="new-subtree" checked={subtree} onChange={(e) => setSubtree(e.currentTarget.checked)} />
        <label for="new-subtree">{t('admin.subtree_hint')}</label>
      </div>
      <p><button type="button" class="secondary"
        onClick={() => setRoles([...roles, { role, unit_id: Number(unit), subtree }])}>{t('admin.add_role')}</button></p>
      <ErrorNote text={error && (error.status === 403 ? t('admin.not_allowed') : errorText(error))} />
      <div class="buttons">
        <button type="submit">{t('admin.save')}</button>
        <button type="button" class="secondary" onClick={onClose}>{t('action.cancel')}</button>
      </div>
    </form>
  );
}

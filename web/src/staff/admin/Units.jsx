// The units tree (/quan-tri/don-vi): the province, its agencies and
// communes, with the units retired by a merger and what succeeded them.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../common/api.js';
import { formatDate, t } from '../../common/i18n.js';
import { ErrorNote, Loading, Page } from '../../common/ui.jsx';

export function Units() {
  const [units, setUnits] = useState(null);
  const [error, setError] = useState(null);
  const [retired, setRetired] = useState(true);
  useEffect(() => { api('/api/v1/units', { query: { include_retired: 'true' } }).then((r) => setUnits(r.items), setError); }, []);
  if (!units) return <Page title={t('admin.units')}>{error ? <ErrorNote error={error} /> : <Loading />}</Page>;
  const byId = new Map(units.map((u) => [u.id, u]));
  const children = (id) => units.filter((u) => u.parent_id === id && (retired || !u.valid_to));
  const roots = units.filter((u) => !u.parent_id || !byId.has(u.parent_id));
  const Node = ({ u }) => {
    const kids = children(u.id);
    return (
      <li class={u.valid_to ? 'retired' : ''}>
        <span class="unit-name">{u.name}</span> <span class="badge">{t('kind.' + u.kind)}</span>
        <span class="meta"> {[u.agency_code, u.stats_code && `${t('admin.stats_code')} ${u.stats_code}`,
          t('admin.since', { date: formatDate(u.valid_from) })].filter(Boolean).join(' · ')}</span>
        {u.valid_to && (
          <p class="meta">{t('admin.retired_on', { date: formatDate(u.valid_to) })}
            {u.successor_ids.length > 0 && ' ' + t('admin.succeeded_by', { names: u.successor_ids.map((s) => byId.get(s)?.name).join(', ') })}</p>
        )}
        {u.predecessor_ids.length > 0 && (
          <p class="meta">{t('admin.merged_from', { names: u.predecessor_ids.map((s) => byId.get(s)?.name).join(', ') })}</p>
        )}
        {kids.length > 0 && <ul>{kids.map((k) => <Node key={k.id} u={k} />)}</ul>}
      </li>
    );
  };
  return (
    <Page title={t('admin.units')} wide>
      <div class="check">
        <input type="checkbox" id="show-retired" checked={retired} onChange={(e) => setRetired(e.currentTarget.checked)} />
        <label for="show-retired">{t('admin.show_retired')}</label>
      </div>
      <ul class="tree">{roots.filter((u) => retired || !u.valid_to).map((u) => <Node key={u.id} u={u} />)}</ul>
    </Page>
  );
}

// Procedures and their versions (/quan-tri/thu-tuc, /quan-tri/thu-tuc/{code}):
// the catalogue as administrators see it, each procedure with every version,
// its status and the days it was in force, and its workflow.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../common/api.js';
import { formatDate, formatTimeLimit, formatVnd, pick, t } from '../../common/i18n.js';
import { Link } from '../../common/router.js';
import { ErrorNote, Loading, Page } from '../../common/ui.jsx';

export function Procedures() {
  const [q, setQ] = useState('');
  const [data, setData] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    const ctl = new AbortController();
    const timer = setTimeout(() => {
      api('/api/v1/procedures', { query: { q: q.trim(), limit: 100 }, signal: ctl.signal })
        .then((d) => { setData(d); setError(null); }, (e) => e.name !== 'AbortError' && setError(e));
    }, q ? 150 : 0);
    return () => { clearTimeout(timer); ctl.abort(); };
  }, [q]);
  return (
    <Page title={t('admin.procedures')} wide>
      <div class="field">
        <label for="pq">{t('home.search_label')}</label>
        <input id="pq" type="search" value={q} autoComplete="off" onInput={(e) => setQ(e.currentTarget.value)} />
      </div>
      <ErrorNote error={error} />
      {!data && !error && <Loading />}
      {data && (
        <div class="table-wrap" tabIndex={0} role="region" aria-label={t('admin.procedures')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('procedure.code')}</th>
                <th scope="col">{t('staff.procedure')}</th>
                <th scope="col">{t('procedure.field')}</th>
                <th scope="col">{t('procedure.time_limit')}</th>
                <th scope="col">{t('admin.in_force')}</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((p) => (
                <tr key={p.code}>
                  <td class="nowrap">{p.code}</td>
                  <td><Link href={'/quan-tri/thu-tuc/' + encodeURIComponent(p.code)}>{pick(p)}</Link></td>
                  <td>{p.field}</td>
                  <td>{formatTimeLimit(p.time_limit)}</td>
                  <td>{t('admin.version', { version: p.version })}, {t('admin.since', { date: formatDate(p.effective_from) })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}

export function ProcedureVersions({ code }) {
  const [versions, setVersions] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    api('/api/v1/procedures/' + encodeURIComponent(code) + '/versions').then((r) => setVersions(r.items), setError);
  }, [code]);
  if (!versions) return <Page title={t('admin.procedures')}>{error ? <ErrorNote error={error} /> : <Loading />}</Page>;
  const newest = versions[versions.length - 1];
  return (
    <Page title={pick(newest)} wide>
      <p class="meta">{newest.code} · {newest.field}</p>
      <h2>{t('admin.versions')}</h2>
      <div class="table-wrap" tabIndex={0} role="region" aria-label={t('admin.versions')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('admin.version_no')}</th>
              <th scope="col">{t('admin.status')}</th>
              <th scope="col">{t('procedure.effective_from')}</th>
              <th scope="col">{t('admin.retired')}</th>
              <th scope="col">{t('procedure.time_limit')}</th>
              <th scope="col">{t('procedure.total_fee')}</th>
              <th scope="col">{t('procedure.components')}</th>
              <th scope="col">{t('admin.workflow')}</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.version}>
                <td class="num">{v.version}</td>
                <td>{t('status.' + v.status)}</td>
                <td>{formatDate(v.effective_from)}</td>
                <td>{v.retired_on ? formatDate(v.retired_on) : ''}</td>
                <td>{formatTimeLimit(v.time_limit)}</td>
                <td>{formatVnd(v.total_fee)}</td>
                <td>{v.components.length}</td>
                <td><Link href={'/quan-tri/quy-trinh/' + v.workflow_code}>{v.workflow_code}</Link></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p><a href={'/thu-tuc/' + encodeURIComponent(newest.code)}>{t('admin.as_citizens_see')}</a></p>
      <p><Link href="/quan-tri/thu-tuc">{t('admin.procedures')}</Link></p>
    </Page>
  );
}

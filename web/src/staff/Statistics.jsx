// The figures of one's unit (/can-bo/thong-ke): what was received, decided
// early, on time or late, returned, withdrawn, carried over, in progress and
// overdue, over a period (calendar, or Decree 09's report periods from the
// 15th to the 14th), with the 766 index: each group and indicator, and those
// motcua cannot measure said so. Asked again every 15 seconds while open.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../common/api.js';
import { pick, t } from '../common/i18n.js';
import { Definitions, ErrorNote, Field, Loading, Page } from '../common/ui.jsx';

const REFRESH_MS = 15000;

// The periods to choose from, around today: this month, quarter and year, and
// the report periods that count today.
function periodsNow(today = new Date()) {
  const vn = new Date(today.getTime() + 7 * 3600e3);
  const y = vn.getUTCFullYear(), m = vn.getUTCMonth() + 1, d = vn.getUTCDate();
  const pad = (n) => String(n).padStart(2, '0');
  const q = Math.floor((m - 1) / 3) + 1;
  // From the 15th a day counts in the next report month.
  const rm = d >= 15 ? (m === 12 ? 1 : m + 1) : m, ry = d >= 15 && m === 12 ? y + 1 : y;
  const rq = Math.floor((rm - 1) / 3) + 1;
  return [`${y}-${pad(m)}`, `${y}-Q${q}`, `${y}`, `bc-${ry}-${pad(rm)}`, `bc-${ry}-Q${rq}`, `bc-${ry}`];
}

const number = (n) => n.toLocaleString('vi-VN');
const points = (n) => n.toLocaleString('vi-VN', { maximumFractionDigits: 2 });

export function Statistics({ user, query }) {
  const units = [...new Set(user.roles.filter((r) => r.role !== 'citizen' && r.unit_id).map((r) => r.unit_id))];
  const [unitNames, setUnitNames] = useState({});
  const [unit, setUnit] = useState(units[0]);
  const choices = periodsNow();
  const [period, setPeriod] = useState(query.ky || choices[0]);
  const [data, setData] = useState(null);
  const [error, setError] = useState(null);

  useEffect(() => {
    api('/api/v1/units').then((r) => setUnitNames(Object.fromEntries(r.items.map((u) => [u.id, u.name]))), () => {});
  }, []);
  useEffect(() => {
    if (!unit) return undefined;
    let live = true;
    const load = () => api('/api/v1/statistics', { query: { unit, period } })
      .then((r) => { if (live) { setData(r); setError(null); } }, (e) => { if (live) setError(e); });
    load();
    const timer = setInterval(load, REFRESH_MS);
    return () => { live = false; clearInterval(timer); };
  }, [unit, period]);

  if (!unit) return <Page title={t('stats.title')}><p>{t('stats.no_unit')}</p></Page>;
  return (
    <Page title={t('stats.title')} wide>
      <div class="filters">
        {units.length > 1 && (
          <Field id="stats-unit" label={t('stats.unit')}>
            {(a) => (
              <select {...a} value={unit} onChange={(e) => setUnit(Number(e.currentTarget.value))}>
                {units.map((u) => <option key={u} value={u}>{unitNames[u] || u}</option>)}
              </select>
            )}
          </Field>
        )}
        <Field id="stats-period" label={t('stats.period')}>
          {(a) => (
            <select {...a} value={period} onChange={(e) => setPeriod(e.currentTarget.value)}>
              {choices.map((p) => <option key={p} value={p}>{t(p.startsWith('bc-') ? 'stats.report_period' : 'stats.calendar_period', { id: p })}</option>)}
            </select>
          )}
        </Field>
      </div>
      <ErrorNote error={error} />
      {!data ? <Loading /> : <Figures data={data} unitName={unitNames[unit]} />}
    </Page>
  );
}

function Figures({ data, unitName }) {
  const f = data.totals;
  return (
    <>
      <p class="meta">{unitName && `${unitName} · `}{data.period.name} · {t('stats.as_of', { day: data.period.as_of.split('-').reverse().join('/') })}</p>
      <h2>{t('stats.handling')}</h2>
      <Definitions rows={[
        [t('stats.carried_over'), number(f.carried_over)],
        [t('stats.received'), `${number(f.received)} (${t('stats.online')} ${number(f.received_online)}, ${t('stats.counter')} ${number(f.received_counter)})`],
        [t('stats.decided'), `${number(f.decided)} (${t('stats.early')} ${number(f.decided_early)}, ${t('stats.on_time')} ${number(f.decided_on_time)}, ${t('stats.late')} ${number(f.decided_late)})`],
        [t('stats.in_progress'), number(f.in_progress)],
        [t('stats.overdue'), number(f.overdue)],
        [t('stats.returned'), number(f.returned)],
        [t('stats.withdrawn'), number(f.withdrawn)],
        [t('stats.rated'), t('stats.rated_of', { satisfied: number(f.rated_satisfied), rated: number(f.rated) })],
        [t('stats.average'), f.average_working_hours === null ? t('stats.not_available') : t('stats.hours', { n: points(f.average_working_hours) })],
      ]} />
      <h2>{t('stats.index')}</h2>
      <p>
        <strong>{t('stats.index_score', { score: points(data.index.score), available: points(data.index.available_points), points: points(data.index.points) })}</strong>
        {' '}{data.index.grade ? pick(data.index.grade) : t('stats.no_grade')}
      </p>
      <div class="table-wrap" tabIndex={0} role="region" aria-label={t('stats.index')}>
        <table class="index766">
          <thead>
            <tr>
              <th scope="col">{t('stats.indicator')}</th>
              <th scope="col">{t('stats.counted')}</th>
              <th scope="col">{t('stats.score')}</th>
            </tr>
          </thead>
          {data.index.groups.map((g) => (
            <tbody key={g.id}>
              <tr class="group">
                <th scope="rowgroup">{pick(g)}</th>
                <td />
                <td>{g.available_points === 0 ? t('stats.not_held')
                  : g.available_points < g.points
                    ? t('stats.group_partial', { score: points(g.score), available: points(g.available_points), points: points(g.points) })
                    : t('stats.points_of', { score: points(g.score), points: points(g.points) })}</td>
              </tr>
              {g.indicators.map((i) => (
                <tr key={i.id}>
                  <th scope="row">{pick(i)}</th>
                  <td>{i.counted ? `${number(i.counted.count)} / ${number(i.counted.of)}` : ''}</td>
                  <td>{i.score === null ? t(i.unavailable === 'not_held' ? 'stats.not_held' : 'stats.none_counted')
                    : t('stats.points_of', { score: points(i.score), points: points(i.points) })}</td>
                </tr>
              ))}
            </tbody>
          ))}
        </table>
      </div>
    </>
  );
}

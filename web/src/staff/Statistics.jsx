// The operations dashboard (/can-bo/thong-ke): a unit's figures over a
// period (calendar, or Decree 09's report periods from the 15th to the
// 14th) with the 766 index and its five groups, the months' trend, a
// ranking of the units below it, its procedures, and its overdue and
// nearing-due dossiers with the step they wait in and who answers for it.
// Drill down from the province to a unit (?don-vi=), a procedure (?thu-tuc=)
// and its dossiers. Asked again every 5 seconds while in view.
import { useMemo, useState } from 'preact/hooks';
import { api } from '../common/api.js';
import { unitName, useData, useUnits } from '../common/data.js';
import { formatDate, formatMoment, formatWorkingLeft, pick, t } from '../common/i18n.js';
import { Link, navigate } from '../common/router.js';
import { Definitions, ErrorNote, Field, Loading, Page } from '../common/ui.jsx';
import { Chart } from './Chart.jsx';

// Asked again this often while the page is in view (a hidden tab asks
// nothing, and asks at once when shown again).
const REFRESH_MS = 5000;

const pad = (n) => String(n).padStart(2, '0');

// Today in Vietnam: year, month, day.
function vnToday(now = new Date()) {
  const vn = new Date(now.getTime() + 7 * 3600e3);
  return { y: vn.getUTCFullYear(), m: vn.getUTCMonth() + 1, d: vn.getUTCDate() };
}

// The periods to choose from, around today: this month, quarter and year, and
// the report periods that count today.
function periodsNow(today = new Date()) {
  const { y, m } = vnToday(today);
  const q = Math.floor((m - 1) / 3) + 1;
  const r = reportMonthNow(today);
  const rq = Math.floor((r.m - 1) / 3) + 1;
  return [`${y}-${pad(m)}`, `${y}-Q${q}`, `${y}-H${m <= 6 ? 1 : 2}`, `${y}`,
    `bc-${r.y}-${pad(r.m)}`, `bc-${r.y}-Q${rq}`, `bc-${r.y}-H${r.m <= 6 ? 1 : 2}`, `bc-${r.y}`];
}

// The report month (Decree 09) that counts today: from the 15th a day counts
// in the next month's report.
export function reportMonthNow(today = new Date()) {
  const { y, m, d } = vnToday(today);
  if (d < 15) return { y, m };
  return m === 12 ? { y: y + 1, m: 1 } : { y, m: m + 1 };
}

// The units a user works at, each once.
export function ownUnits(user) {
  return [...new Set(user.roles.filter((r) => r.role !== 'citizen' && r.unit_id).map((r) => r.unit_id))];
}

// The year (or report year) a period belongs to, for the months' trend.
function yearOf(period) {
  const report = period.startsWith('bc-');
  const y = (report ? period.slice(3) : period).slice(0, 4);
  return report ? `bc-${y}` : y;
}

export const number = (n) => n.toLocaleString('vi-VN');
const points = (n) => n.toLocaleString('vi-VN', { maximumFractionDigits: 2 });
const percent = (a, b) => (b > 0 ? `${(100 * a / b).toLocaleString('vi-VN', { maximumFractionDigits: 1 })} %` : '–');
// Judged for the on-time rate: decided with an appointment, and those open after theirs.
const onTime = (f) => percent(f.decided_early + f.decided_on_time, f.decided_early + f.decided_on_time + f.decided_late + f.overdue);

// `path` with the non-empty members of `query` as its query string.
export function pageHref(path, query) {
  const q = Object.entries(query).filter(([, v]) => v !== undefined && v !== '' && v !== null);
  return path + (q.length ? '?' + q.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&') : '');
}
const href = (query) => pageHref('/can-bo/thong-ke', query);

export function Statistics({ user, query }) {
  const own = ownUnits(user);
  const { byId } = useUnits();
  const choices = periodsNow();
  const period = query.get('ky') || choices[0];
  const unit = Number(query.get('don-vi')) || own[0];
  const view = query.get('theo') === 'hien-nay' ? 'today' : 'of_the_time';
  const procedure = query.get('thu-tuc') || '';
  const [due, setDue] = useState('overdue');
  const go = (change) => navigate(href({ 'don-vi': unit, ky: period, theo: view === 'today' ? 'hien-nay' : '', 'thu-tuc': procedure, ...change }));

  const { data, error } = useData(unit ? (signal) => {
    const base = { unit, period, units: view };
    const day = /^\d{4}-\d{2}-\d{2}$/.test(period);
    return Promise.all([
      api('/api/v1/statistics', { query: { ...base, by: 'unit' }, signal }),
      api('/api/v1/statistics', { query: { ...base, period: yearOf(period), by: 'month' }, signal }),
      day ? Promise.resolve(null) : api('/api/v1/statistics', { query: { ...base, by: 'procedure' }, signal }),
      api('/api/v1/dossiers', { query: { unit, due, limit: 20, ...(procedure ? { procedure_code: procedure } : {}) }, signal }),
    ]).then(([figures, months, procedures, dossiers]) => ({ figures, months, procedures, dossiers }));
  } : null, [unit, period, view, due, procedure], { every: REFRESH_MS });

  if (!unit) return <Page title={t('stats.title')}><p>{t('stats.no_unit')}</p></Page>;
  const name = unitName(byId);
  // The way down from one's own unit to the one shown.
  const trail = [];
  for (let u = byId.get(unit); u; u = u.parent_id ? byId.get(u.parent_id) : null) {
    trail.unshift(u.id);
    if (own.includes(u.id)) break;
  }
  return (
    <Page title={t('stats.title')} wide>
      <div class="filters">
        <UnitChoice id="stats-unit" own={own} unit={unit} name={name} choose={(u) => go({ 'don-vi': u, 'thu-tuc': '' })} />
        <Field id="stats-period" label={t('stats.period')}>
          {(a) => (
            <select {...a} value={period} onChange={(e) => go({ ky: e.currentTarget.value })}>
              {!choices.includes(period) && <option value={period}>{period}</option>}
              {choices.map((p) => <option key={p} value={p}>{t(p.startsWith('bc-') ? 'stats.report_period' : 'stats.calendar_period', { id: p })}</option>)}
            </select>
          )}
        </Field>
        <ViewChoice id="stats-view" view={view} go={go} />
      </div>
      {trail.length > 1 && (
        <nav aria-label={t('stats.trail')} class="trail">
          {trail.map((id, i) => (
            <span key={id}>{i > 0 && ' › '}{id === unit ? <strong>{name(id)}</strong> : <Link href={href({ 'don-vi': id, ky: period, theo: query.get('theo') || '' })}>{name(id)}</Link>}</span>
          ))}
        </nav>
      )}
      <p><Link href={`/can-bo/bao-cao?don-vi=${unit}`}>{t('report.open')}</Link></p>
      <ErrorNote error={error} />
      {!data ? <Loading /> : (
        <Dashboard data={data} unitName={name(unit)} period={period} query={query} go={go}
          due={due} setDue={setDue} procedure={procedure} />
      )}
    </Page>
  );
}

// The unit shown, among one's own (when one has several); a unit reached
// by drilling down shows as the first, unchosen, option.
export function UnitChoice({ id, own, unit, name, choose }) {
  if (own.length < 2) return null;
  return (
    <Field id={id} label={t('stats.unit')}>
      {(a) => (
        <select {...a} value={own.includes(unit) ? unit : ''} onChange={(e) => choose(Number(e.currentTarget.value))}>
          {!own.includes(unit) && <option value="">{name(unit)}</option>}
          {own.map((u) => <option key={u} value={u}>{name(u)}</option>)}
        </select>
      )}
    </Field>
  );
}

// Which units count: those of the time, or today's (?theo=hien-nay).
export function ViewChoice({ id, view, go }) {
  return (
    <Field id={id} label={t('stats.view')}>
      {(a) => (
        <select {...a} value={view} onChange={(e) => go({ theo: e.currentTarget.value === 'today' ? 'hien-nay' : '' })}>
          <option value="of_the_time">{t('stats.view_then')}</option>
          <option value="today">{t('stats.view_today')}</option>
        </select>
      )}
    </Field>
  );
}

function Dashboard({ data, unitName, period, query, go, due, setDue, procedure }) {
  const { figures, months, procedures, dossiers } = data;
  const f = figures.totals;
  return (
    <>
      <p class="meta">{unitName} · {figures.period.name} · {t('stats.as_of', { day: formatDate(figures.period.as_of) })}</p>
      <Index index={figures.index} />
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
        [t('stats.online_share'), t('stats.share_of', { n: number(f.received_online), of: number(f.received), share: percent(f.received_online, f.received) })],
        [t('stats.digitised'), t('stats.share_of', { n: number(f.received_digitised), of: number(f.received), share: percent(f.received_digitised, f.received) })],
        [t('stats.synced'), t('stats.share_of', { n: number(f.received_synced), of: number(f.received), share: percent(f.received_synced, f.received) })],
        [t('stats.electronic'), t('stats.share_of', { n: number(f.decided_electronic), of: number(f.decided_accepted), share: percent(f.decided_electronic, f.decided_accepted) })],
        [t('stats.paid_online'), t('stats.not_held')],
      ]} />
      <Trend months={months} />
      {figures.rows.length > 0 && <Ranking rows={figures.rows} period={period} query={query} />}
      {procedures && procedures.rows.length > 0 && <Procedures rows={procedures.rows} go={go} procedure={procedure} />}
      <Watch dossiers={dossiers} due={due} setDue={setDue} procedure={procedure}
        procedureName={procedures && (procedures.rows.find((r) => r.procedure_code === procedure) || {}).name} go={go} />
    </>
  );
}

function Index({ index }) {
  const config = useMemo(() => ({
    type: 'bar',
    data: {
      labels: index.groups.map((g) => pick(g)),
      datasets: [
        { label: t('stats.chart_score'), data: index.groups.map((g) => g.score), backgroundColor: '#1d5fa8' },
        { label: t('stats.chart_measured'), data: index.groups.map((g) => g.available_points), backgroundColor: '#9dbbe0' },
        { label: t('stats.chart_points'), data: index.groups.map((g) => g.points), backgroundColor: '#d9dee5' },
      ],
    },
    options: { indexAxis: 'y', scales: { x: { beginAtZero: true, max: 22 } } },
  }), [index]);
  return (
    <>
      <h2>{t('stats.index')}</h2>
      <p>
        <strong>{t('stats.index_score', { score: points(index.score), available: points(index.available_points), points: points(index.points) })}</strong>
        {' '}{index.grade ? pick(index.grade) : t('stats.no_grade')}
      </p>
      <Chart config={config} label={t('stats.chart_groups')} height={220} />
      <div class="table-wrap" tabIndex={0} role="region" aria-label={t('stats.index')}>
        <table class="index766">
          <thead>
            <tr>
              <th scope="col">{t('stats.indicator')}</th>
              <th scope="col">{t('stats.counted')}</th>
              <th scope="col">{t('stats.score')}</th>
            </tr>
          </thead>
          {index.groups.map((g) => (
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

function Trend({ months }) {
  const rows = months.rows;
  const config = useMemo(() => ({
    type: 'bar',
    data: {
      labels: rows.map((r) => r.period.replace(/^bc-/, '')),
      datasets: [
        { label: t('stats.received_short'), data: rows.map((r) => r.totals.received), backgroundColor: '#9dbbe0' },
        { label: t('stats.decided_in_time'), data: rows.map((r) => r.totals.decided_early + r.totals.decided_on_time), backgroundColor: '#2e7d4f' },
        { label: t('stats.late_short'), data: rows.map((r) => r.totals.decided_late), backgroundColor: '#b3261e' },
        { type: 'line', label: t('stats.index_short'), data: rows.map((r) => r.index.score), borderColor: '#1d5fa8', yAxisID: 'index' },
      ],
    },
    options: { scales: { y: { beginAtZero: true }, index: { position: 'right', beginAtZero: true, max: 100, grid: { drawOnChartArea: false } } } },
  }), [months]);
  if (rows.length === 0) return null;
  return (
    <>
      <h2>{t('stats.trend', { year: months.period.name })}</h2>
      <Chart config={config} label={t('stats.trend', { year: months.period.name })} />
      <details>
        <summary>{t('stats.trend_table')}</summary>
        <Table name="trend" label={t('stats.trend_table')}
          heads={[t('stats.month'), t('stats.received_short'), t('stats.decided'), t('stats.on_time_rate'), t('stats.overdue_short'), t('stats.index_short')]}>
          {rows.map((r) => (
            <tr key={r.period}>
              <th scope="row">{r.name}</th><td>{number(r.totals.received)}</td><td>{number(r.totals.decided)}</td>
              <td>{onTime(r.totals)}</td><td>{number(r.totals.overdue)}</td><td>{points(r.index.score)}</td>
            </tr>
          ))}
        </Table>
      </details>
    </>
  );
}

function Ranking({ rows, period, query }) {
  const ranked = [...rows].sort((a, b) => b.index.score - a.index.score || b.totals.received - a.totals.received);
  return (
    <>
      <h2>{t('stats.ranking')}</h2>
      <Table name="ranking" label={t('stats.ranking')}
        heads={[t('stats.rank'), t('stats.unit'), t('stats.index_short'), t('stats.received_short'), t('stats.decided'), t('stats.on_time_rate'), t('stats.overdue_short')]}>
        {ranked.map((r, i) => (
          <tr key={r.unit_id}>
            <td>{i + 1}</td>
            <th scope="row"><Link href={href({ 'don-vi': r.unit_id, ky: period, theo: query.get('theo') || '' })}>{r.name}</Link></th>
            <td>{points(r.index.score)}</td><td>{number(r.totals.received)}</td><td>{number(r.totals.decided)}</td>
            <td>{onTime(r.totals)}</td><td>{number(r.totals.overdue)}</td>
          </tr>
        ))}
      </Table>
    </>
  );
}

function Procedures({ rows, go, procedure }) {
  const sorted = [...rows].sort((a, b) => b.totals.received - a.totals.received);
  return (
    <>
      <h2>{t('stats.procedures')}</h2>
      <Table name="procedures" label={t('stats.procedures')}
        heads={[t('stats.procedure'), t('stats.received_short'), t('stats.decided'), t('stats.on_time_rate'),
          t('stats.in_progress_short'), t('stats.overdue_short'), t('stats.average')]}>
        {sorted.map((r) => (
          <tr key={r.procedure_code} class={r.procedure_code === procedure ? 'chosen' : undefined}>
            <th scope="row">
              <button type="button" class="link" aria-pressed={r.procedure_code === procedure}
                onClick={() => go({ 'thu-tuc': r.procedure_code === procedure ? '' : r.procedure_code })}>{r.name}</button>
            </th>
            <td>{number(r.totals.received)}</td><td>{number(r.totals.decided)}</td><td>{onTime(r.totals)}</td>
            <td>{number(r.totals.in_progress + r.totals.overdue)}</td><td>{number(r.totals.overdue)}</td>
            <td>{r.totals.average_working_hours === null ? '–' : t('stats.hours', { n: points(r.totals.average_working_hours) })}</td>
          </tr>
        ))}
      </Table>
    </>
  );
}

function Watch({ dossiers, due, setDue, procedure, procedureName, go }) {
  const c = dossiers.counts;
  return (
    <>
      <h2>{t('stats.watch')}</h2>
      {procedure && (
        <p>{t('stats.watch_procedure', { name: procedureName || procedure })}{' '}
          <button type="button" class="link" onClick={() => go({ 'thu-tuc': '' })}>{t('stats.watch_all')}</button></p>
      )}
      <div class="filters" role="group" aria-label={t('stats.watch')}>
        {[['overdue', t('stats.watch_overdue', { n: number(c.overdue) })],
          ['nearing', t('stats.watch_nearing', { n: number(c.nearing) })],
          ['any', t('stats.watch_any', { n: number(c.total) })]].map(([which, label]) => (
          <button key={which} type="button" class={due === which ? 'primary' : 'secondary'} aria-pressed={due === which}
            onClick={() => setDue(which)}>{label}</button>
        ))}
      </div>
      {dossiers.items.length === 0 ? <p>{t('stats.watch_none')}</p> : (
        <Table name="watch" label={t('stats.watch')}
          heads={[t('stats.dossier'), t('stats.procedure'), t('stats.step'), t('stats.officer'), t('stats.appointment'), t('stats.left')]}>
          {dossiers.items.map((d) => (
            <tr key={d.id}>
              <th scope="row"><Link href={`/can-bo/ho-so/${d.id}`}>{d.number}</Link></th>
              <td>{pick(d.procedure)}</td>
              <td>{d.step ? `${pick(d.step) || d.step.state} · ${d.step.unit.name}` : pick(d.state)}
                {d.step && <span class="meta">{t('stats.since', { at: formatMoment(d.step.started_at) })}</span>}</td>
              <td>{d.step && d.step.handed_by ? d.step.handed_by.name : '–'}</td>
              <td>{d.due_at ? formatDate(d.due_at) : '–'}</td>
              <td><span class={`badge urgency-${d.urgency || 'none'}`}>{formatWorkingLeft(d.working_seconds_left, d.working_day_seconds)}</span></td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}

// A table in a region that scrolls sideways on a narrow screen, with one row
// of column headings.
function Table({ name, label, heads, children }) {
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label={label}>
      <table class={name}>
        <thead><tr>{heads.map((h) => <th key={h} scope="col">{h}</th>)}</tr></thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

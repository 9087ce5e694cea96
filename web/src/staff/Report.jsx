// Decree 09's procedure-handling report (/can-bo/bao-cao): per field of a
// unit over a report period (the 15th of the month before to the 14th), with
// the official column groups, on the page and as CSV or XLSX to file.
// The URL holds the choice: ?don-vi=&ky=&theo=hien-nay.
import { api } from '../common/api.js';
import { unitName, useData, useUnits } from '../common/data.js';
import { currentLang, formatDate, t } from '../common/i18n.js';
import { Link, navigate } from '../common/router.js';
import { ErrorNote, Field, Loading, Page } from '../common/ui.jsx';
import { UnitChoice, ViewChoice, number, ownUnits, pageHref, reportMonthNow } from './Statistics.jsx';

const pad = (n) => String(n).padStart(2, '0');

// The report periods to choose from, the one counting today first: twelve
// months, eight quarters, four half years and three years.
export function reportPeriods(today = new Date()) {
  const { y, m } = reportMonthNow(today);
  const months = [], quarters = [], halves = [], years = [];
  for (let i = 0; i < 12; ++i) {
    const k = y * 12 + (m - 1) - i;
    months.push(`bc-${Math.floor(k / 12)}-${pad((k % 12) + 1)}`);
  }
  for (let i = 0, q = y * 4 + Math.floor((m - 1) / 3); i < 8; ++i, --q) quarters.push(`bc-${Math.floor(q / 4)}-Q${(q % 4) + 1}`);
  for (let i = 0, h = y * 2 + (m <= 6 ? 0 : 1); i < 4; ++i, --h) halves.push(`bc-${Math.floor(h / 2)}-H${(h % 2) + 1}`);
  for (let i = 0; i < 3; ++i) years.push(`bc-${y - i}`);
  return { months, quarters, halves, years };
}

const href = (query) => pageHref('/can-bo/bao-cao', query);

export function Report({ user, query }) {
  const own = ownUnits(user);
  const choices = reportPeriods();
  const period = query.get('ky') || choices.months[0];
  const unit = Number(query.get('don-vi')) || own[0];
  const view = query.get('theo') === 'hien-nay' ? 'today' : 'of_the_time';
  const { byId } = useUnits();
  const go = (change) => navigate(href({ 'don-vi': unit, ky: period, theo: view === 'today' ? 'hien-nay' : '', ...change }));
  const { data: report, error, loading } = useData(
    unit ? (signal) => api('/api/v1/reports/decree09', { query: { unit, period, units: view }, signal }) : null,
    [unit, period, view]);

  if (!unit) return <Page title={t('report.title')}><p>{t('stats.no_unit')}</p></Page>;
  const all = [...choices.months, ...choices.quarters, ...choices.halves, ...choices.years];
  const file = (format) => `/api/v1/reports/decree09?unit=${unit}&period=${encodeURIComponent(period)}&units=${view}&format=${format}`;
  return (
    <Page title={t('report.title')} wide>
      <p>{t('report.intro')}</p>
      <div class="filters">
        <UnitChoice id="report-unit" own={own} unit={unit} name={unitName(byId)} choose={(u) => go({ 'don-vi': u })} />
        <Field id="report-period" label={t('report.period')}>
          {(a) => (
            <select {...a} value={period} onChange={(e) => go({ ky: e.currentTarget.value })}>
              {!all.includes(period) && <option value={period}>{period}</option>}
              <optgroup label={t('report.months')}>
                {choices.months.map((p) => <option key={p} value={p}>{t('report.month', { m: p.slice(8), y: p.slice(3, 7) })}</option>)}
              </optgroup>
              <optgroup label={t('report.quarters')}>
                {choices.quarters.map((p) => <option key={p} value={p}>{t('report.quarter', { q: p.slice(9), y: p.slice(3, 7) })}</option>)}
              </optgroup>
              <optgroup label={t('report.halves')}>
                {choices.halves.map((p) => <option key={p} value={p}>{t(`report.half_${p.slice(9)}`, { y: p.slice(3, 7) })}</option>)}
              </optgroup>
              <optgroup label={t('report.years')}>
                {choices.years.map((p) => <option key={p} value={p}>{t('report.year', { y: p.slice(3) })}</option>)}
              </optgroup>
            </select>
          )}
        </Field>
        <ViewChoice id="report-view" view={view} go={go} />
      </div>
      <ErrorNote error={error} />
      {loading ? <Loading /> : report && !error && <ReportTable report={report} file={file} />}
      <p><Link href={`/can-bo/thong-ke?don-vi=${unit}`}>{t('report.to_dashboard')}</Link></p>
    </Page>
  );
}

function ReportTable({ report, file }) {
  const en = currentLang() === 'en';
  const columns = report.columns;
  // The column groups of the header's first row, with their columns; a
  // group of one column named as the group takes both rows.
  const groups = [];
  for (const c of columns) {
    const name = en ? c.group_en : c.group;
    if (groups.length && groups[groups.length - 1].name === name) groups[groups.length - 1].columns.push(c);
    else groups.push({ name, columns: [c] });
  }
  const label = (c) => (en ? c.name_en : c.name);
  const whole = (g) => g.columns.length === 1 && label(g.columns[0]) === g.name;
  const p = report.period;
  return (
    <>
      <p class="meta">
        {report.unit_name} ({report.agency_code}) · {p.name} · {t('stats.as_of', { day: formatDate(p.as_of) })}
      </p>
      <p>
        <a class="button" href={file('xlsx')} download={report.xlsx}>{t('report.xlsx')}</a>{' '}
        <a class="button secondary" href={file('csv')} download={report.csv}>{t('report.csv')}</a>
      </p>
      <div class="table-wrap" tabIndex={0} role="region" aria-label={t('report.title')}>
        <table class="report09">
          <thead>
            <tr>
              <th scope="col" rowSpan={2}>{t('report.no')}</th>
              <th scope="col" rowSpan={2}>{t('report.field')}</th>
              {groups.map((g) => (whole(g)
                ? <th key={g.name} scope="col" rowSpan={2}>{g.name}</th>
                : <th key={g.name} scope="colgroup" colSpan={g.columns.length}>{g.name}</th>))}
            </tr>
            <tr>{groups.filter((g) => !whole(g)).flatMap((g) => g.columns).map((c) => <th key={c.key} scope="col">{label(c)}</th>)}</tr>
          </thead>
          <tbody>
            {report.rows.length === 0 && (
              <tr><td colSpan={columns.length + 2}>{t('report.none')}</td></tr>
            )}
            {report.rows.map((r, i) => (
              <tr key={r.field || i}>
                <td>{i + 1}</td>
                <th scope="row">{r.field || t('report.no_field')}</th>
                {columns.map((c) => <td key={c.key}>{number(r.values[c.key])}</td>)}
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr class="total">
              <td />
              <th scope="row">{t('report.total')}</th>
              {columns.map((c) => <td key={c.key}>{number(report.total[c.key])}</td>)}
            </tr>
          </tfoot>
        </table>
      </div>
      <p class="meta">{t('report.balance')}</p>
    </>
  );
}

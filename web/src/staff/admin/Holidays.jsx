// Holidays by year (/quan-tri/ngay-nghi?nam=YYYY): the days off as the
// deadlines count them, and the weekend days worked in exchange. They come
// from the statutory rules and the yearly decisions in data/holidays; the
// year's table is edited here, checked by the server (the days off it would
// give, what changes) and downloaded, to be deployed like the decision it
// encodes.
import { useEffect, useState } from 'preact/hooks';
import { api, csrfToken } from '../../common/api.js';
import { useData } from '../../common/data.js';
import { currentLang, formatDate, pick, t } from '../../common/i18n.js';
import { navigate } from '../../common/router.js';
import { ErrorNote, Loading, Page, errorText } from '../../common/ui.jsx';
import { LineProblems, downloadText } from './editing.jsx';

function weekday(iso) {
  return new Intl.DateTimeFormat(currentLang() === 'en' ? 'en-GB' : 'vi-VN', { weekday: 'long', timeZone: 'UTC' })
    .format(new Date(iso + 'T00:00:00Z'));
}

export function Holidays({ query }) {
  const [year, setYear] = useState(Number(query.get('nam')) || new Date().getFullYear());
  const { data, error, loading } = useData((signal) => api('/api/v1/holidays', { query: { year }, signal }), [year]);
  useEffect(() => { navigate('/quan-tri/ngay-nghi?nam=' + year, { replace: true }); }, [year]);
  return (
    <Page title={t('admin.holidays')}>
      <p class="hint">{t('admin.holidays_text')}</p>
      <div class="buttons" role="group" aria-label={t('admin.year')}>
        <button type="button" class="secondary" onClick={() => setYear(year - 1)}>{t('admin.year_before', { year: year - 1 })}</button>
        <button type="button" class="secondary" onClick={() => setYear(year + 1)}>{t('admin.year_after', { year: year + 1 })}</button>
      </div>
      <ErrorNote error={error} />
      {loading && <Loading />}
      {data && !loading && !error && (
        <>
          <h2>{t('admin.holidays_of', { year: data.year })}</h2>
          <div class="table-wrap" tabIndex={0} role="region" aria-label={t('admin.holidays_of', { year: data.year })}>
            <table>
              <thead><tr><th scope="col">{t('admin.day')}</th><th scope="col">{t('admin.weekday')}</th><th scope="col">{t('admin.holiday')}</th></tr></thead>
              <tbody>
                {data.holidays.map((h) => (
                  <tr key={h.date}><td>{formatDate(h.date)}</td><td>{weekday(h.date)}</td><td>{pick(h)}</td></tr>
                ))}
              </tbody>
            </table>
          </div>
          <h2>{t('admin.make_up')}</h2>
          {data.make_up_working_days.length === 0 ? <p>{t('common.none')}</p> : (
            <ul>{data.make_up_working_days.map((d) => <li key={d}>{weekday(d)} {formatDate(d)}</li>)}</ul>
          )}
          <TableEditor key={data.year} year={data.year} inForce={data} />
        </>
      )}
    </Page>
  );
}

// A table for a year that has none yet: the keys, commented out.
function template(year) {
  return `# Days off of public offices in ${year} (công chức, viên chức): the government's decision.
year = ${year}

# Tết's exact days off, both ends included.
# [tet]
# from = ${year}-MM-DD
# to = ${year}-MM-DD

# The day next to 2 September (1 or 3 September).
# [national_day]
# adjacent = ${year}-09-01

# An extra day off (a swapped day).
# [[off]]
# date = ${year}-MM-DD
# name_vi = "Nghỉ hoán đổi"
# name_en = "Swapped day off"

# A day the rules give that is not off.
# [[remove]]
# date = ${year}-MM-DD

# A Saturday or Sunday worked in exchange.
# [[working]]
# date = ${year}-MM-DD
`;
}

function TableEditor({ year, inForce }) {
  const { data: loaded, error } = useData((signal) => api(`/api/v1/holidays/${year}/table`, { signal }), [year]);
  const [edited, setText] = useState(null);
  const [result, setResult] = useState(null);
  if (error) return <ErrorNote error={error} />;
  if (!loaded) return <Loading />;
  const text = edited ?? loaded.text ?? template(year);
  const check = async () => {
    try {
      const r = await fetch(`/api/v1/holidays/check?year=${year}`, {
        method: 'POST', credentials: 'same-origin', body: text,
        headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-CSRF-Token': csrfToken() },
      });
      const body = await r.json();
      if (r.ok) return setResult({ ok: body });
      const problem = (body.error && body.error.fields && body.error.fields.table) || '';
      const at = problem.match(/\.toml:(\d+): (.*)$/s);
      setResult({ problems: at ? [{ line: Number(at[1]), message: at[2] }] : [], message: problem || errorText({ status: r.status }) });
    } catch {
      setResult({ problems: [], message: t('common.error_network') });
    }
  };
  const download = () => downloadText(`${year}.toml`, text, 'application/toml');
  const dates = (d) => new Set(d.holidays.map((h) => h.date));
  let added = [], removed = [];
  if (result && result.ok) {
    const now = dates(inForce), next = dates(result.ok);
    added = result.ok.holidays.filter((h) => !now.has(h.date));
    removed = inForce.holidays.filter((h) => !next.has(h.date));
  }
  return (
    <section aria-labelledby="table-heading">
      <h2 id="table-heading">{t('admin.table_of', { year })}</h2>
      <p class="hint">{t(loaded.file ? 'admin.table_hint' : 'admin.table_none', { file: `data/holidays/${year}.toml` })}</p>
      <label for="table-text">{t('admin.table_label', { year })}</label>
      <textarea id="table-text" class="code" rows={16} spellcheck={false} value={text}
        onInput={(e) => { setText(e.currentTarget.value); setResult(null); }} />
      <div class="buttons">
        <button type="button" onClick={check}>{t('admin.check')}</button>
        <button type="button" class="secondary" onClick={download}>{t('admin.download_file', { file: `${year}.toml` })}</button>
      </div>
      {result && result.ok && (
        <div class="note ok" role="status">
          <p>{t('admin.table_valid', { count: result.ok.holidays.length, make_up: result.ok.make_up_working_days.length })}</p>
          {added.length + removed.length === 0 ? <p>{t('admin.table_same')}</p> : (
            <ul>
              {added.map((h) => <li key={'+' + h.date}>{t('admin.day_added', { date: formatDate(h.date), name: pick(h) })}</li>)}
              {removed.map((h) => <li key={'-' + h.date}>{t('admin.day_removed', { date: formatDate(h.date), name: pick(h) })}</li>)}
            </ul>
          )}
        </div>
      )}
      {result && result.problems && <LineProblems text={text} problems={result.problems} message={result.message} />}
    </section>
  );
}

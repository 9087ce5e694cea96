// Holidays by year (/quan-tri/ngay-nghi?nam=YYYY): the days off as the
// deadlines count them, and the weekend days worked in exchange. They come
// from the statutory rules and the yearly decisions in data/holidays.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../common/api.js';
import { currentLang, formatDate, pick, t } from '../../common/i18n.js';
import { navigate } from '../../common/router.js';
import { ErrorNote, Loading, Page } from '../../common/ui.jsx';

function weekday(iso) {
  return new Intl.DateTimeFormat(currentLang() === 'en' ? 'en-GB' : 'vi-VN', { weekday: 'long', timeZone: 'UTC' })
    .format(new Date(iso + 'T00:00:00Z'));
}

export function Holidays({ query }) {
  const [year, setYear] = useState(Number(query.get('nam')) || new Date().getFullYear());
  const [data, setData] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    setData(null);
    api('/api/v1/holidays', { query: { year } }).then((d) => { setData(d); setError(null); }, setError);
    navigate('/quan-tri/ngay-nghi?nam=' + year, { replace: true });
  }, [year]);
  return (
    <Page title={t('admin.holidays')}>
      <p class="hint">{t('admin.holidays_text')}</p>
      <div class="buttons" role="group" aria-label={t('admin.year')}>
        <button type="button" class="secondary" onClick={() => setYear(year - 1)}>{t('admin.year_before', { year: year - 1 })}</button>
        <button type="button" class="secondary" onClick={() => setYear(year + 1)}>{t('admin.year_after', { year: year + 1 })}</button>
      </div>
      <ErrorNote error={error} />
      {!data && !error && <Loading />}
      {data && (
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
        </>
      )}
    </Page>
  );
}

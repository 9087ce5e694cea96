// The officer's inbox: what waits for one's roles, by appointment, with the
// counts and a colour for how close each dossier is to its deadline.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../common/api.js';
import { useData } from '../common/data.js';
import { formatMoment, pick, t } from '../common/i18n.js';
import { Link, navigate } from '../common/router.js';
import { ErrorNote, Loading, Page } from '../common/ui.jsx';

export function Inbox({ query }) {
  const [q, setQ] = useState(query.get('q') || '');
  const [due, setDue] = useState(query.get('han') || '');
  const [cursor, setCursor] = useState(query.get('trang') || '');
  const { data, error, reload } = useData(
    (signal) => api('/api/v1/inbox', { query: { q: q.trim(), due, cursor, limit: 20 }, signal }),
    [q, due, cursor], { delay: q ? 200 : 0 });
  // The address keeps the search, the filter and the page.
  useEffect(() => {
    const p = new URLSearchParams();
    if (q) p.set('q', q);
    if (due) p.set('han', due);
    if (cursor) p.set('trang', cursor);
    navigate('/can-bo/' + (p.toString() ? '?' + p : ''), { replace: true });
  }, [q, due, cursor]);

  const c = data && data.counts;
  return (
    <Page title={t('staff.inbox')} wide>
      {c && (
        <ul class="counts" aria-label={t('staff.counts')}>
          <li><strong>{c.total}</strong>{t('staff.counts')}</li>
          <li class="urgency-overdue"><strong>{c.overdue}</strong>{t('staff.overdue')}</li>
          <li class="urgency-nearing"><strong>{c.nearing}</strong>{t('staff.nearing')}</li>
          <li><strong>{c.waiting_for_citizen}</strong>{t('staff.waiting')}</li>
        </ul>
      )}
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="q">{t('staff.search')}</label>
          <input id="q" type="search" value={q} autoComplete="off"
            onInput={(e) => { setCursor(''); setQ(e.currentTarget.value); }} />
        </div>
        <div class="field">
          <label for="due">{t('staff.due_filter')}</label>
          <select id="due" value={due} onChange={(e) => { setCursor(''); setDue(e.currentTarget.value); }}>
            <option value="">{t('staff.due_any')}</option>
            <option value="overdue">{t('staff.overdue')}</option>
            <option value="nearing">{t('staff.nearing')}</option>
          </select>
        </div>
      </form>
      <ErrorNote error={error} onRetry={reload} />
      {!data && !error && <Loading />}
      {data && data.items.length === 0 && <p role="status">{t('staff.empty')}</p>}
      {data && data.items.length > 0 && (
        <div class="table-wrap" tabIndex={0} role="region" aria-label={t('staff.inbox')}>
          <table class="inbox">
            <thead>
              <tr>
                <th scope="col">{t('staff.number')}</th>
                <th scope="col">{t('staff.applicant')}</th>
                <th scope="col">{t('staff.procedure')}</th>
                <th scope="col">{t('staff.state')}</th>
                <th scope="col">{t('staff.due')}</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((d) => (
                <tr key={d.id}>
                  <td class="nowrap"><Link href={'/can-bo/ho-so/' + d.id}>{d.number}</Link></td>
                  <td>{d.applicant.full_name}</td>
                  <td>{pick(d.procedure)}</td>
                  <td>{pick(d.state)}</td>
                  <td>
                    <span class={'badge urgency-' + (d.urgency || 'none')}>{t('urgency.' + (d.urgency || 'none'))}</span>
                    {d.due_at && <span class="when"> {formatMoment(d.apology_due_at || d.due_at)}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p>
        {cursor && <button type="button" class="secondary" onClick={() => setCursor('')}>{t('staff.first_page')}</button>}
        {' '}
        {data && data.next_cursor && (
          <button type="button" class="secondary" onClick={() => setCursor(data.next_cursor)}>{t('staff.next_page')}</button>
        )}
      </p>
    </Page>
  );
}

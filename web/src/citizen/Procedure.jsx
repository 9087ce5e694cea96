// One procedure as a citizen reads it before coming: what to bring, how
// long it takes, what it costs.
import { api } from '../common/api.js';
import { useData } from '../common/data.js';
import { formatDate, formatTimeLimit, formatVnd, pick, t } from '../common/i18n.js';
import { Link } from '../common/router.js';
import { Definitions, ErrorNote, Loading, Page } from '../common/ui.jsx';

export function Procedure({ code }) {
  const { data: p, error, reload } = useData(
    (signal) => api('/api/v1/procedures/' + encodeURIComponent(code), { signal }), [code]);

  if (error && error.status === 404) {
    return (
      <Page title={t('procedure.not_found')}>
        <p><Link href="/">{t('procedure.back')}</Link></p>
      </Page>
    );
  }
  if (!p) {
    return (
      <Page title={t('common.loading')}>
        {error ? <ErrorNote error={error} onRetry={reload} /> : <Loading />}
      </Page>
    );
  }
  return (
    <Page title={pick(p)}>
      <Definitions rows={[
        [t('procedure.code'), p.code],
        [t('procedure.field'), p.field],
        [t('procedure.levels'), p.levels.map((l) => t('level.' + l)).join(', ')],
        [t('procedure.online_mode'), t('online.' + p.online_mode)],
        [t('procedure.time_limit'), formatTimeLimit(p.time_limit)],
        [t('procedure.result_kind'), t('result.' + p.result_kind)],
        [t('procedure.effective_from'), `${formatDate(p.effective_from)} (${t('procedure.version', { version: p.version })})`],
      ]} />
      {p.cutoff_1500 && <p class="note">{t('procedure.cutoff')}</p>}
      {p.online_mode !== 'none'
        ? <p><a href={'/nop-ho-so/' + encodeURIComponent(p.code)} class="button">{t('procedure.submit_online')}</a></p>
        : <p class="note">{t('submit.not_online')}</p>}

      <h2>{t('procedure.components')}</h2>
      <div class="table-wrap" tabIndex={0} role="region" aria-label={t('procedure.components')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('procedure.component')}</th>
              <th scope="col" class="num">{t('procedure.originals')}</th>
              <th scope="col" class="num">{t('procedure.copies')}</th>
              <th scope="col">{t('procedure.required')}</th>
            </tr>
          </thead>
          <tbody>
            {p.components.map((c) => (
              <tr key={c.code}>
                <td>{c.name}</td>
                <td class="num">{c.originals}</td>
                <td class="num">{c.copies}</td>
                <td>{c.required ? t('procedure.required') : t('procedure.optional')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>{t('procedure.fees')}</h2>
      {p.fees.length === 0 ? <p>{t('common.free')}</p> : (
        <div class="table-wrap" tabIndex={0} role="region" aria-label={t('procedure.fees')}>
          <table>
            <thead>
              <tr><th scope="col">{t('procedure.fee_item')}</th><th scope="col" class="num">{t('procedure.fee_amount')}</th></tr>
            </thead>
            <tbody>
              {p.fees.map((f, i) => <tr key={i}><td>{f.description}</td><td class="num">{formatVnd(f.amount)}</td></tr>)}
            </tbody>
            <tfoot>
              <tr><th scope="row">{t('procedure.total_fee')}</th><td class="num">{formatVnd(p.total_fee)}</td></tr>
            </tfoot>
          </table>
        </div>
      )}
      <p><Link href="/">{t('procedure.back')}</Link></p>
    </Page>
  );
}

// Procedures and their versions (/quan-tri/thu-tuc, /quan-tri/thu-tuc/{code}):
// the catalogue as administrators see it, each procedure with every version,
// its status and the days it was in force, and its workflow; publishing a
// new version (edited as JSON, the server's problems shown in place) and
// retiring the procedure.
import { useState } from 'preact/hooks';
import { api } from '../../common/api.js';
import { useData } from '../../common/data.js';
import { formatDate, formatTimeLimit, formatVnd, pick, t } from '../../common/i18n.js';
import { Link } from '../../common/router.js';
import { ErrorNote, Field, Loading, Page, errorText } from '../../common/ui.jsx';
import { JsonProblems } from './editing.jsx';

export function Procedures() {
  const [q, setQ] = useState('');
  const { data, error } = useData((signal) => api('/api/v1/procedures', { query: { q: q.trim(), limit: 100 }, signal }),
    [q], { delay: q ? 150 : 0 });
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
  const { data: versions, error, reload } = useData((signal) =>
    api('/api/v1/procedures/' + encodeURIComponent(code) + '/versions', { signal }).then((r) => r.items), [code]);
  const [done, setDone] = useState('');
  const changed = (message) => { setDone(message); reload(); };
  if (!versions) return <Page title={t('admin.procedures')}>{error ? <ErrorNote error={error} /> : <Loading />}</Page>;
  const newest = versions[versions.length - 1];
  return (
    <Page title={pick(newest)} wide>
      <p class="meta">{newest.code} · {newest.field}</p>
      {done && <p class="note ok" role="status">{done}</p>}
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
      {newest.retired_on ? <p>{t('admin.procedure_retired', { date: formatDate(newest.retired_on) })}</p> : (
        <>
          <PublishVersion key={newest.version} newest={newest}
            onDone={(v) => changed(t('admin.published', { version: v.version, date: formatDate(v.effective_from) }))} />
          <Retire key={newest.version} code={newest.code} after={newest.effective_from} onDone={(date) => changed(t('admin.procedure_retired', { date: formatDate(date) }))} />
        </>
      )}
      <p><Link href="/quan-tri/thu-tuc">{t('admin.procedures')}</Link></p>
    </Page>
  );
}

// Tomorrow in Vietnam, YYYY-MM-DD: the earliest sensible first day of a change.
function tomorrow() {
  return new Date(Date.now() + (7 + 24) * 3600e3).toISOString().slice(0, 10);
}

// The newest version as the API takes a new one: what a version says,
// without what the server assigns (id, number, status, totals).
function inputOf(v) {
  const { name, name_en, field, levels, online_mode, time_limit, cutoff_1500, fees, components, result_kind,
    workflow_code } = v;
  return { name, name_en, field, levels, online_mode, time_limit, cutoff_1500, fees, components, result_kind,
    workflow_code, effective_from: tomorrow() };
}

function PublishVersion({ newest, onDone }) {
  const [text, setText] = useState(() => JSON.stringify(inputOf(newest), null, 2));
  const [result, setResult] = useState(null);
  const [busy, setBusy] = useState(false);
  const publish = async () => {
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      setResult({ problems: {}, message: t('admin.json_invalid') });
      return;
    }
    setBusy(true);
    try {
      const v = await api(`/api/v1/procedures/${encodeURIComponent(newest.code)}/versions`, { method: 'POST', body });
      setResult(null);
      onDone(v);
    } catch (err) {
      setResult({ problems: err.status === 400 ? err.fields : {}, message: err.status === 409 ? t('admin.publish_conflict') : errorText(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="publish-heading">
      <h2 id="publish-heading">{t('admin.publish')}</h2>
      <p class="hint">{t('admin.publish_hint')}</p>
      <label for="version-json">{t('admin.version_json')}</label>
      <textarea id="version-json" class="code" rows={18} spellcheck={false} value={text}
        onInput={(e) => { setText(e.currentTarget.value); setResult(null); }} />
      <div class="buttons"><button type="button" disabled={busy} onClick={publish}>{t('admin.publish_button')}</button></div>
      {result && <JsonProblems text={text} problems={result.problems} message={result.message} />}
    </section>
  );
}

// The day after `iso` (YYYY-MM-DD).
const dayAfter = (iso) => new Date(Date.parse(iso + 'T00:00:00Z') + 86400e3).toISOString().slice(0, 10);

function Retire({ code, after, onDone }) {
  // The first day it may be retired from: after the newest version applies.
  const [date, setDate] = useState(() => [tomorrow(), dayAfter(after)].sort()[1]);
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState(null);
  const retire = async () => {
    try {
      await api(`/api/v1/procedures/${encodeURIComponent(code)}/retire`, { method: 'POST', body: { date } });
      onDone(date);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section aria-labelledby="retire-heading">
      <h2 id="retire-heading">{t('admin.retire')}</h2>
      <Field id="retire-date" label={t('admin.retire_date')} hint={t('admin.retire_hint')}
        error={error && error.status === 400 ? t('admin.retire_after', { date: formatDate(after) }) : ''}>
        {(a) => <input {...a} type="date" value={date} onInput={(e) => { setDate(e.currentTarget.value); setAsking(false); setError(null); }} />}
      </Field>
      {!asking && <button type="button" class="secondary" onClick={() => setAsking(true)}>{t('admin.retire')}</button>}
      {asking && (
        <div class="card" role="group" aria-label={t('admin.retire')}>
          <p>{t('admin.retire_confirm', { date: formatDate(date) })}</p>
          <ErrorNote text={error && (error.status === 400 ? t('form.fix') : error.status === 409 ? t('admin.retire_conflict') : errorText(error))} />
          <div class="buttons">
            <button type="button" onClick={retire}>{t('admin.retire_yes')}</button>
            <button type="button" class="secondary" onClick={() => setAsking(false)}>{t('action.cancel')}</button>
          </div>
        </div>
      )}
    </section>
  );
}

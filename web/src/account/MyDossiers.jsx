// A citizen's own dossiers (/ho-so-cua-toi) and one of them (/ho-so/{id}):
// where it is, what the office is waiting for, the supplement form when
// documents were asked for, and how the citizen is told of it (or not).
import { useState } from 'preact/hooks';
import { api, upload } from '../common/api.js';
import { useData } from '../common/data.js';
import { formatMoment, pick, t } from '../common/i18n.js';
import { Link } from '../common/router.js';
import { Definitions, ErrorNote, Field, FileInput, Loading, Page, errorText } from '../common/ui.jsx';
import { Pending, PrintedForms } from '../common/dossier.jsx';
import { NoticeChoice, noticesPath } from '../common/notices.jsx';
import { MyResult } from '../common/result.jsx';
import { Rating } from '../common/rating.jsx';

function SignInFirst({ next }) {
  return (
    <Page title={t('nav.my_dossiers')}>
      <p>{t('submit.sign_in_first')}</p>
      <p><Link href={'/dang-nhap?tiep=' + encodeURIComponent(next)} class="button">{t('nav.login')}</Link></p>
    </Page>
  );
}

export function MyDossiers({ user }) {
  const ask = (before) => (signal) => api('/api/v1/me/dossiers', { query: { before, limit: 20 }, signal });
  const { data, error, more } = useData(user ? ask() : null, [user]);
  const items = data && data.items;
  const next = data && data.next_before;
  const showMore = () => more(ask(next), (old, page) => ({ ...page, items: [...old.items, ...page.items] }));
  if (!user) return <SignInFirst next="/ho-so-cua-toi" />;
  return (
    <Page title={t('nav.my_dossiers')}>
      <ErrorNote error={error} />
      {!items && !error && <Loading />}
      {items && items.length === 0 && <p>{t('mine.none')} <Link href="/">{t('nav.procedures')}</Link></p>}
      {items && items.length > 0 && (
        <ul class="procedures mine">
          {items.map((d) => (
            <li key={d.id}>
              <Link href={'/ho-so/' + d.id}>{pick(d.procedure)}</Link>
              <p class="meta">
                <span>{d.number}</span>
                <span class={d.waiting_for_citizen ? 'badge urgency-nearing' : 'badge'}>{pick(d.state)}</span>
                <span>{t('lookup.submitted_at')}: {formatMoment(d.submitted_at)}</span>
                {d.due_at && <span>{t('lookup.due_at')}: {formatMoment(d.apology_due_at || d.due_at)}</span>}
              </p>
            </li>
          ))}
        </ul>
      )}
      {next && <button type="button" class="secondary" onClick={showMore}>{t('home.more')}</button>}
    </Page>
  );
}

export function MyDossier({ id, user }) {
  const [done, setDone] = useState('');
  // The dossier, and its workflow for the names of the states it went through.
  const { data, error, reload } = useData(user ? async (signal) => {
    const d = await api('/api/v1/dossiers/' + encodeURIComponent(id), { signal });
    const wf = await api('/api/v1/workflows/' + encodeURIComponent(d.workflow.code), { signal });
    return { d, states: wf.nodes };
  } : null, [id, user]);
  if (!user) return <SignInFirst next={'/ho-so/' + id} />;
  if (error && error.status === 404) return <Page title={t('dossier.not_found')}><p><Link href="/ho-so-cua-toi">{t('nav.my_dossiers')}</Link></p></Page>;
  if (!data) return <Page title={t('common.loading')}>{error ? <ErrorNote error={error} onRetry={reload} /> : <Loading />}</Page>;
  const { d, states } = data;
  const supplement = d.actions.find((a) => a.id === 'supplement');
  const withdraw = d.actions.find((a) => a.id === 'withdraw');
  const changed = (message) => { setDone(message); reload(); };
  return (
    <Page title={pick(d.procedure)}>
      <p class="state"><span class={'badge status-' + d.state.national_status}>{pick(d.state)}</span></p>
      {done && <p class="note ok" role="status">{done}</p>}
      {d.pending_request && <Pending request={d.pending_request} />}
      {supplement && d.pending_request && d.pending_request.kind === 'supplement' && (
        <SupplementForm d={d} action={supplement} onDone={() => changed(t('mine.supplemented'))} />
      )}
      <Definitions rows={[
        [t('lookup.number'), d.number],
        [t('lookup.receiving_unit'), d.receiving_unit.name],
        [t('lookup.submitted_at'), formatMoment(d.submitted_at)],
        [t('lookup.accepted_at'), d.accepted_at ? formatMoment(d.accepted_at) : t('lookup.not_yet')],
        [t('lookup.due_at'), d.due_at ? formatMoment(d.apology_due_at || d.due_at) : t('lookup.not_yet')],
        d.finished_at && [t('lookup.finished_at'), formatMoment(d.finished_at)],
        d.returned_at && [t('lookup.returned_at'), formatMoment(d.returned_at)],
      ]} />
      <Rating rating={d.rating} canRate={d.can_rate}
        send={(level, comment) => api(`/api/v1/dossiers/${d.id}/rating`, { method: 'POST', body: { level, comment } })} />
      <h2>{t('lookup.history')}</h2>
      <ol class="timeline">
        {d.steps.map((s) => (
          <li key={s.step} class={s.finished_at ? '' : 'open'}>
            <span class="when">{formatMoment(s.started_at)}</span>
            <span class="what">{pick(states.find((n) => n.id === s.state)) || s.state}{!s.finished_at && ` (${t('lookup.step_open')})`}</span>
          </li>
        ))}
        {d.state.terminal && (
          <li class="open">
            <span class="when">{formatMoment(d.returned_at || d.updated_at)}</span>
            <span class="what">{pick(d.state)}</span>
          </li>
        )}
      </ol>
      {d.files.length > 0 && (
        <>
          <h2>{t('dossier.files')}</h2>
          <ul class="files">{d.files.map((f) => <li key={f.id}><a href={'/api/v1/attachments/' + f.id}>{f.name}</a></li>)}</ul>
        </>
      )}
      <MyResult id={d.id} />
      <MyNotices id={d.id} />
      <h2>{t('form.printed')}</h2>
      <PrintedForms d={d} />
      {withdraw && <Withdraw d={d} action={withdraw} onDone={() => changed(t('mine.withdrawn'))} />}
      <p><Link href="/ho-so-cua-toi">{t('nav.my_dossiers')}</Link></p>
    </Page>
  );
}

function SupplementForm({ d, action, onDone }) {
  const [files, setFiles] = useState([]);
  const [error, setError] = useState(null);
  const [missing, setMissing] = useState('');
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState(0);
  const submit = async (e) => {
    e.preventDefault();
    if (files.length === 0) { setMissing(t('mine.files_required')); document.getElementById('supplement-files').focus(); return; }
    setMissing('');
    setBusy(true);
    setError(null);
    try {
      const items = d.pending_request.items || [];
      const sent = [];
      for (let i = 0; i < files.length; i++) {
        const att = await upload(files[i], (p) => setProgress((i + p) / files.length));
        sent.push({ attachment_id: att.id, component_code: items.find((x) => x.component_code)?.component_code || undefined });
      }
      await api(`/api/v1/dossiers/${d.id}/actions/supplement`, { method: 'POST', body: { version: d.version, files: sent } });
      onDone();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <form class="card" onSubmit={submit} aria-labelledby="supplement-heading">
      <h2 id="supplement-heading">{pick(action)}</h2>
      <Field id="supplement-files" label={t('mine.supplement_files')} hint={t('submit.file_hint')} error={missing}>
        {(a) => <FileInput {...a} multiple names={files.map((f) => f.name)} onFiles={(fs) => { setFiles(fs); setMissing(''); }} />}
      </Field>
      {busy && <p><progress max="1" value={progress} aria-label={t('mine.sending')} /> {Math.round(progress * 100)}%</p>}
      <ErrorNote text={error && (error.status === 409 ? t('action.conflict') : errorText(error))} />
      <button type="submit" disabled={busy}>{t('mine.send_supplement')}</button>
    </form>
  );
}

function Withdraw({ d, action, onDone }) {
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState(null);
  const go = async () => {
    try {
      await api(`/api/v1/dossiers/${d.id}/actions/${action.id}`, { method: 'POST', body: { version: d.version } });
      onDone();
    } catch (err) {
      setError(err);
    }
  };
  if (!asking) return <p><button type="button" class="secondary" onClick={() => setAsking(true)}>{t('mine.withdraw')}</button></p>;
  return (
    <div class="card" role="group" aria-label={t('mine.withdraw')}>
      <p>{t('mine.withdraw_confirm')}</p>
      <ErrorNote text={error && errorText(error)} />
      <button type="button" onClick={go}>{t('mine.withdraw')}</button>{' '}
      <button type="button" class="secondary" onClick={() => setAsking(false)}>{t('action.cancel')}</button>
    </div>
  );
}

// How the citizen is told of the dossier: e-mail, the phone (Zalo or SMS),
// the language, or no more notices. Not shown where the server sends none.
function MyNotices({ id }) {
  const { data, set } = useData((signal) => api(noticesPath(id), { signal }), [id]);
  if (!data || data.channels.length === 0) return null;
  const stopped = data.preferences.stopped_at;
  return (
    <section aria-labelledby="notices-heading">
      <h2 id="notices-heading">{t('notify.mine_title')}</h2>
      <p>{t('notify.mine_text')}</p>
      {stopped && <p class="note warn">{t('notify.mine_stopped', { at: formatMoment(stopped) })}</p>}
      <NoticeChoice id={id} data={data} onSaved={set} />
    </section>
  );
}

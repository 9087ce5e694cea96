// One dossier as staff see it: the applicant, the files, the deadline and the
// working time left, the actions allowed now as buttons (each asking only for
// what it needs), the notices to the citizen, the history and the process
// control sheet. Opening it is a read of personal data: the server logs it.
import { useState } from 'preact/hooks';
import { api, upload } from '../common/api.js';
import { useData, useUnits } from '../common/data.js';
import { formatMoment, formatTimeLimit, formatVnd, formatWorkingLeft, pick, t } from '../common/i18n.js';
import { Link } from '../common/router.js';
import { Pending, PrintedForms } from '../common/dossier.jsx';
import { DossierNotices } from './DossierNotices.jsx';
import { ResultWork } from './ResultWork.jsx';
import { Definitions, ErrorNote, Field, FileInput, Loading, Page, errorText } from '../common/ui.jsx';

export function StaffDossier({ id, user }) {
  const [done, setDone] = useState('');
  // The dossier, with its workflow and procedure (the names of states,
  // actions and documents).
  const { data, error, reload } = useData(async (signal) => {
    const d = await api('/api/v1/dossiers/' + encodeURIComponent(id), { signal });
    const [workflow, procedure] = await Promise.all([
      api('/api/v1/workflows/' + encodeURIComponent(d.workflow.code), { signal }),
      api('/api/v1/procedures/' + encodeURIComponent(d.procedure.code), { signal }),
    ]);
    return { d, workflow, procedure };
  }, [id]);
  const { units, byId, open, error: unitsError } = useUnits();

  if (error && error.status === 404) {
    return <Page title={t('dossier.not_found')}><p><Link href="/can-bo/">{t('staff.inbox')}</Link></p></Page>;
  }
  if (!data || !units) {
    const failed = error || unitsError;
    return <Page title={t('common.loading')}>{failed ? <ErrorNote error={failed} onRetry={reload} /> : <Loading />}</Page>;
  }
  const { d, ...ctx } = data;
  const stateName = (sid) => pick(ctx.workflow.nodes.find((n) => n.id === sid)) || sid;
  // Submission, apologies, the citizen's rating, the result's draft and
  // signature and the national portal's acknowledgement are not workflow actions.
  const own = { submit: 'history.submit', apology: 'history.apology', rated: 'history.rated',
    result_drafted: 'history.result_drafted', result_signed: 'history.result_signed',
    national_synced: 'history.national_synced' };
  const actionName = (aid) => pick(ctx.workflow.edges.find((e) => e.action === aid)) || t(own[aid] || 'history.other');
  const unitName = (uid) => byId.get(uid)?.name || '';
  const a = d.applicant;
  const due = d.apology_due_at || d.due_at;
  return (
    <Page title={t('dossier.title', { number: d.number })} wide>
      <p class="state">
        <span class={'badge status-' + d.state.national_status}>{pick(d.state)}</span>{' '}
        {d.urgency && <span class={'badge urgency-' + d.urgency}>{t('urgency.' + d.urgency)}</span>}
      </p>
      {done && <p class="note ok" role="status">{done}</p>}
      <Definitions rows={[
        [t('lookup.procedure'), pick(d.procedure)],
        [t('dossier.channel'), t('channel.' + d.channel)],
        [t('lookup.receiving_unit'), d.receiving_unit.name],
        [t('dossier.current_unit'), d.current_unit.name],
        [t('lookup.submitted_at'), formatMoment(d.submitted_at)],
        [t('lookup.due_at'), due ? formatMoment(due) : t('lookup.not_yet')],
        d.working_seconds_left !== null && [t('dossier.time_left'), formatWorkingLeft(d.working_seconds_left, d.working_day_seconds)],
        d.supplement_count > 0 && [t('dossier.supplements'), String(d.supplement_count)],
        d.fee_vnd > 0 && [t('dossier.fee'), formatVnd(d.fee_vnd) + (d.paid_at ? ` (${t('dossier.paid')})` : '')],
        d.timeliness && [t('dossier.timeliness'), t('timeliness.' + d.timeliness)],
      ]} />
      {d.pending_request && <Pending request={d.pending_request} />}

      <h2>{t('dossier.actions')}</h2>
      {d.actions.length === 0 ? <p>{t('dossier.no_actions')}</p> : (
        <Actions d={d} procedure={ctx.procedure} units={open}
          onDone={(name, after) => { setDone(t('dossier.done', { action: name }) + (after ? ' ' + after : '')); reload(); }} />
      )}

      <h2>{t('dossier.applicant')}</h2>
      <Definitions rows={[
        [t('submit.full_name'), a.full_name],
        [t('submit.id_number'), a.id_number],
        [t('submit.phone'), a.phone],
        a.email && [t('submit.email'), a.email],
        a.address && [t('submit.address'), a.address],
      ]} />

      <DossierNotices d={d} user={user} />

      <h2>{t('dossier.files')}</h2>
      {d.files.length === 0 ? <p>{t('dossier.no_files')}</p> : (
        <ul class="files">
          {d.files.map((f) => (
            <li key={f.id}>
              <a href={'/api/v1/attachments/' + (f.id)}>{f.name}</a>
              <span class="meta"> {componentName(ctx.procedure, f.component_code)}</span>
            </li>
          ))}
        </ul>
      )}

      <h2>{t('dossier.history')}</h2>
      <ol class="timeline">
        {d.history.map((e) => (
          <li key={e.seq}>
            <span class="when">{formatMoment(e.at)} · {e.actor_name}</span>
            <span class="what">
              {e.action === 'rated' ? `${actionName(e.action)}: ${t('rating_level.' + e.details.level)}`
                : <>{actionName(e.action)}{e.to_state && e.to_state !== e.from_state && ` → ${stateName(e.to_state)}`}</>}
            </span>
            {e.action === 'rated' && d.rating && d.rating.comment && <p class="meta">“{d.rating.comment}”</p>}
            {e.details && e.details.reason && <p class="meta">{t('dossier.reason')}: {e.details.reason}</p>}
            {e.details && e.details.items && (
              <ul>{e.details.items.map((i, k) => <li key={k}>{i.description}</li>)}</ul>
            )}
          </li>
        ))}
      </ol>

      <ResultWork d={d} user={user} onChanged={reload} />

      <h2>{t('form.printed')}</h2>
      <PrintedForms d={d} />

      <h2>{t('dossier.control_sheet')}</h2>
      <div class="table-wrap" tabIndex={0} role="region" aria-label={t('dossier.control_sheet')}>
        <table class="steps">
          <thead>
            <tr>
              <th scope="col">{t('dossier.step')}</th>
              <th scope="col">{t('staff.state')}</th>
              <th scope="col">{t('dossier.unit')}</th>
              <th scope="col">{t('dossier.started')}</th>
              <th scope="col">{t('dossier.step_due')}</th>
              <th scope="col">{t('dossier.finished')}</th>
              <th scope="col">{t('dossier.timeliness')}</th>
            </tr>
          </thead>
          <tbody>
            {d.steps.map((s) => (
              <tr key={s.step}>
                <td class="num">{s.step}</td>
                <td>{stateName(s.state)}</td>
                <td>{unitName(s.unit_id)}</td>
                <td>{formatMoment(s.started_at)}</td>
                <td>{s.due_at ? formatMoment(s.due_at) : ''}</td>
                <td>{s.finished_at ? formatMoment(s.finished_at) : ''}</td>
                <td>{s.timeliness ? t('timeliness.' + s.timeliness) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p><Link href="/can-bo/">{t('dossier.back_to_inbox')}</Link></p>
    </Page>
  );
}

function componentName(procedure, code) {
  return procedure.components.find((c) => c.code === code)?.name || code || '';
}

function Actions({ d, procedure, units, onDone }) {
  const [open, setOpen] = useState(null);
  return (
    <div class="actions">
      <div class="buttons">
        {d.actions.map((a) => (
          <button key={a.id} type="button" class={open === a.id ? '' : 'secondary'} aria-expanded={open === a.id ? 'true' : 'false'}
            onClick={() => setOpen(open === a.id ? null : a.id)}>{pick(a)}</button>
        ))}
      </div>
      {open && (
        <ActionForm key={open} d={d} action={d.actions.find((a) => a.id === open)} procedure={procedure} units={units}
          onCancel={() => setOpen(null)} onDone={(name, after) => { setOpen(null); onDone(name, after); }} />
      )}
    </div>
  );
}

function ActionForm({ d, action, procedure, units, onCancel, onDone }) {
  const [reason, setReason] = useState('');
  const [picked, setPicked] = useState({});  // component code -> description
  const [other, setOther] = useState('');
  const [fee, setFee] = useState(String(procedure.total_fee || 0));
  const [toUnit, setToUnit] = useState('');
  const [files, setFiles] = useState([]);
  const [problems, setProblems] = useState({});
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const targets = action.transfer && action.transfer !== 'receiving_unit'
    ? units.filter((u) => u.kind === action.transfer) : [];

  const submit = async (e) => {
    e.preventDefault();
    const p = {};
    const body = { version: d.version };
    if (action.requires_reason) {
      if (!reason.trim()) p.reason = t('err.required');
      body.reason = reason.trim();
    }
    if (action.requests_supplements) {
      const items = Object.entries(picked).map(([code, description]) => ({ component_code: code, description }));
      if (other.trim()) items.push({ description: other.trim() });
      if (items.length === 0) p.items = t('action.items_required');
      body.items = items;
    }
    if (action.requests_payment) {
      const n = Number(fee);
      if (!Number.isInteger(n) || n <= 0) p.fee = t('action.fee_invalid');
      body.fee_vnd = n;
    }
    if (targets.length) {
      if (!toUnit) p.to_unit = t('err.required');
      body.to_unit_id = Number(toUnit);
    }
    setProblems(p);
    if (Object.keys(p).length) return;
    setBusy(true);
    setError(null);
    try {
      if (files.length) {
        body.files = [];
        for (const f of files) {
          const att = await upload(f.file);
          body.files.push({ attachment_id: att.id, component_code: f.component || undefined });
        }
      }
      const r = await api(`/api/v1/dossiers/${d.id}/actions/${action.id}`, { method: 'POST', body });
      const due = r.apology_due_at || r.due_at;
      onDone(pick(action), !d.due_at && due ? t('action.appointment', { at: formatMoment(due) }) : '');
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  let message = '';
  if (error) {
    if (error.status === 409) message = t('action.conflict');
    else if (error.status === 403) message = t('action.forbidden');
    else message = errorText(error);
  }
  const fid = 'f-' + action.id;
  return (
    <form class="card action-form" onSubmit={submit} aria-label={pick(action)}>
      <h3>{pick(action)}</h3>
      {action.due_at && (
        <p class="note">{t('action.accept_hint', { limit: formatTimeLimit(procedure.time_limit) })}{' '}
          <strong>{t('action.due_if_now', { at: formatMoment(action.due_at) })}</strong></p>
      )}
      {action.requests_supplements && (
        <fieldset class={problems.items ? 'field invalid' : 'field'}>
          <legend>{t('action.items')}</legend>
          {procedure.components.map((c) => (
            <div class="check" key={c.code}>
              <input type="checkbox" id={`${fid}-${c.code}`} checked={c.code in picked}
                onChange={(e) => {
                  const next = { ...picked };
                  if (e.currentTarget.checked) next[c.code] = c.name; else delete next[c.code];
                  setPicked(next);
                }} />
              <label for={`${fid}-${c.code}`}>{c.name}</label>
            </div>
          ))}
          <Field id={`${fid}-other`} label={t('action.other_item')}>
            {(a) => <input {...a} value={other} onInput={(e) => setOther(e.currentTarget.value)} />}
          </Field>
          {problems.items && <p class="error-text" role="alert">{problems.items}</p>}
        </fieldset>
      )}
      {action.requires_reason && (
        <Field id={`${fid}-reason`} label={t('dossier.reason')} error={problems.reason}>
          {(a) => <textarea {...a} rows={3} maxLength={2000} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />}
        </Field>
      )}
      {action.requests_payment && (
        <Field id={`${fid}-fee`} label={t('action.fee')} error={problems.fee}>
          {(a) => <input {...a} inputMode="numeric" value={fee} onInput={(e) => setFee(e.currentTarget.value)} />}
        </Field>
      )}
      {targets.length > 0 && (
        <Field id={`${fid}-unit`} label={t('action.to_unit')} error={problems.to_unit}>
          {(a) => (
            <select {...a} value={toUnit} onChange={(e) => setToUnit(e.currentTarget.value)}>
              <option value="">{t('action.choose_unit')}</option>
              {targets.map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}
            </select>
          )}
        </Field>
      )}
      {(action.id === 'supplement' || action.id === 'approve' || action.id === 'return_result') && (
        <Field id={`${fid}-files`} label={t('action.files')} hint={t('submit.file_hint')}>
          {(a) => <FileInput {...a} multiple names={files.map((f) => f.file.name)}
            onFiles={(fs) => setFiles(fs.map((file) => ({ file })))} />}
        </Field>
      )}
      <ErrorNote text={message} />
      <div class="buttons">
        <button type="submit" disabled={busy}>{t('action.confirm', { action: pick(action) })}</button>
        <button type="button" class="secondary" onClick={onCancel}>{t('action.cancel')}</button>
      </div>
    </form>
  );
}

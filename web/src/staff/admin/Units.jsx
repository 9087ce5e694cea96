// The units tree (/quan-tri/don-vi): the province, its agencies and
// communes, with the units retired by a merger and what succeeded them; an
// administrator adds a unit and records a merger or a dissolution (the day a
// unit ends and the units that take over its dossiers).
import { useState } from 'preact/hooks';
import { api } from '../../common/api.js';
import { useUnits, vnToday } from '../../common/data.js';
import { formatDate, t } from '../../common/i18n.js';
import { ErrorNote, Field, Loading, Page, errorText, fieldError } from '../../common/ui.jsx';

const KINDS = ['province', 'center', 'department', 'district', 'commune'];

export function Units() {
  const { units, byId, error, reload } = useUnits();
  const [retired, setRetired] = useState(true);
  const [form, setForm] = useState(null);  // 'new' or the unit being retired
  const [done, setDone] = useState('');
  const saved = (message) => { setForm(null); setDone(message); reload(); };
  if (!units) return <Page title={t('admin.units')}>{error ? <ErrorNote error={error} /> : <Loading />}</Page>;
  const children = (id) => units.filter((u) => u.parent_id === id && (retired || !u.valid_to));
  const roots = units.filter((u) => !u.parent_id || !byId.has(u.parent_id));
  const Node = ({ u }) => {
    const kids = children(u.id);
    return (
      <li class={u.valid_to ? 'retired' : ''}>
        <span class="unit-name">{u.name}</span> <span class="badge">{t('kind.' + u.kind)}</span>
        <span class="meta"> {[u.agency_code, u.stats_code && `${t('admin.stats_code')} ${u.stats_code}`,
          t('admin.since', { date: formatDate(u.valid_from) })].filter(Boolean).join(' · ')}</span>
        {u.valid_to && (
          <p class="meta">{t('admin.retired_on', { date: formatDate(u.valid_to) })}
            {u.successor_ids.length > 0 && ' ' + t('admin.succeeded_by', { names: u.successor_ids.map((s) => byId.get(s)?.name).join(', ') })}</p>
        )}
        {!u.valid_to && u.parent_id && (
          <button type="button" class="link" onClick={() => { setForm(u); setDone(''); }}>
            {t('admin.retire_unit')}<span class="visually-hidden">: {u.name}</span></button>
        )}
        {u.predecessor_ids.length > 0 && (
          <p class="meta">{t('admin.merged_from', { names: u.predecessor_ids.map((s) => byId.get(s)?.name).join(', ') })}</p>
        )}
        {kids.length > 0 && <ul>{kids.map((k) => <Node key={k.id} u={k} />)}</ul>}
      </li>
    );
  };
  return (
    <Page title={t('admin.units')} wide>
      {done && <p class="note ok" role="status">{done}</p>}
      {!form && <p><button type="button" onClick={() => { setForm('new'); setDone(''); }}>{t('admin.new_unit')}</button></p>}
      {form === 'new' && <NewUnit units={units} onClose={() => setForm(null)}
        onSaved={(u) => saved(t('admin.unit_created', { name: u.name }))} />}
      {form && form !== 'new' && <RetireUnit key={form.id} unit={form} units={units} onClose={() => setForm(null)}
        onSaved={(date) => saved(t('admin.unit_retired', { name: form.name, date: formatDate(date) }))} />}
      <div class="check">
        <input type="checkbox" id="show-retired" checked={retired} onChange={(e) => setRetired(e.currentTarget.checked)} />
        <label for="show-retired">{t('admin.show_retired')}</label>
      </div>
      <ul class="tree">{roots.filter((u) => retired || !u.valid_to).map((u) => <Node key={u.id} u={u} />)}</ul>
    </Page>
  );
}

function NewUnit({ units, onClose, onSaved }) {
  const open = units.filter((u) => !u.valid_to);
  const [f, setF] = useState({ kind: 'commune', name: '', agency_code: '', stats_code: '',
    parent_id: String(open.find((u) => u.kind === 'province')?.id || ''), valid_from: vnToday() });
  const [error, setError] = useState(null);
  const [missing, setMissing] = useState({});
  const set = (k) => (e) => setF({ ...f, [k]: e.currentTarget.value });
  const save = async (e) => {
    e.preventDefault();
    const m = {};
    for (const k of ['name', 'agency_code', 'valid_from']) if (!f[k].trim()) m[k] = t('err.required');
    setMissing(m);
    if (Object.keys(m).length) { document.getElementById('nun-' + Object.keys(m)[0]).focus(); return; }
    try {
      onSaved(await api('/api/v1/units', { method: 'POST', body: {
        kind: f.kind, name: f.name.trim(), agency_code: f.agency_code.trim(), stats_code: f.stats_code.trim() || undefined,
        parent_id: f.parent_id ? Number(f.parent_id) : null, valid_from: f.valid_from } }));
    } catch (err) {
      setError(err);
    }
  };
  const problem = (k) => missing[k] || fieldError(error, k);
  return (
    <form class="card" onSubmit={save} aria-labelledby="nun-heading" noValidate>
      <h2 id="nun-heading">{t('admin.new_unit')}</h2>
      <div class="filters">
        <div class="field">
          <label for="nun-kind">{t('admin.unit_kind')}</label>
          <select id="nun-kind" value={f.kind} onChange={set('kind')}>
            {KINDS.map((k) => <option key={k} value={k}>{t('kind.' + k)}</option>)}
          </select>
        </div>
        <div class="field">
          <label for="nun-parent">{t('admin.parent')}</label>
          <select id="nun-parent" value={f.parent_id} onChange={set('parent_id')}>
            <option value="">{t('admin.no_parent')}</option>
            {open.map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}
          </select>
        </div>
      </div>
      <Field id="nun-name" label={t('admin.unit_name')} error={problem('name')}>
        {(a) => <input {...a} value={f.name} onInput={set('name')} />}
      </Field>
      <Field id="nun-agency_code" label={t('admin.agency_code')} hint={t('admin.agency_code_hint')} error={problem('agency_code')}>
        {(a) => <input {...a} value={f.agency_code} spellcheck={false} autoComplete="off" onInput={set('agency_code')} />}
      </Field>
      <Field id="nun-stats_code" label={t('admin.stats_code_label')} hint={t('admin.stats_code_hint')} error={problem('stats_code')}>
        {(a) => <input {...a} value={f.stats_code} inputMode="numeric" autoComplete="off" onInput={set('stats_code')} />}
      </Field>
      <Field id="nun-valid_from" label={t('admin.valid_from')} error={problem('valid_from')}>
        {(a) => <input {...a} type="date" value={f.valid_from} onInput={set('valid_from')} />}
      </Field>
      {error && <ErrorNote text={error.status === 400 || error.status === 409 ? t('form.fix') : error.status === 403 ? t('admin.not_allowed') : errorText(error)} />}
      <div class="buttons">
        <button type="submit">{t('admin.create_unit')}</button>
        <button type="button" class="secondary" onClick={onClose}>{t('action.cancel')}</button>
      </div>
    </form>
  );
}

// A merger or a dissolution: the first day without the unit and who takes
// over (the units of the same level still open).
function RetireUnit({ unit, units, onClose, onSaved }) {
  const candidates = units.filter((u) => !u.valid_to && u.id !== unit.id && u.kind === unit.kind);
  const [date, setDate] = useState(vnToday());
  const [successors, setSuccessors] = useState([]);
  const [error, setError] = useState(null);
  const save = async (e) => {
    e.preventDefault();
    try {
      await api(`/api/v1/units/${unit.id}/retire`, { method: 'POST', body: { date, successor_ids: successors } });
      onSaved(date);
    } catch (err) {
      setError(err);
    }
  };
  const toggle = (id) => setSuccessors(successors.includes(id) ? successors.filter((s) => s !== id) : [...successors, id]);
  return (
    <form class="card" onSubmit={save} aria-labelledby="ru-heading">
      <h2 id="ru-heading" tabIndex={-1} ref={(el) => el && !el.dataset.f && (el.dataset.f = '1', el.focus())}>
        {t('admin.retire_unit_of', { name: unit.name })}</h2>
      <Field id="ru-date" label={t('admin.retire_unit_date')} error={fieldError(error, 'date')}>
        {(a) => <input {...a} type="date" value={date} onInput={(e) => setDate(e.currentTarget.value)} />}
      </Field>
      <fieldset>
        <legend>{t('admin.successors')}</legend>
        <p class="hint">{t('admin.successors_hint')}</p>
        <div class="choices">
          {candidates.map((u) => (
            <div key={u.id} class="check">
              <input type="checkbox" id={'ru-s' + u.id} checked={successors.includes(u.id)} onChange={() => toggle(u.id)} />
              <label for={'ru-s' + u.id}>{u.name}</label>
            </div>
          ))}
        </div>
      </fieldset>
      {error && <ErrorNote text={error.status === 400 ? t('form.fix') : error.status === 403 ? t('admin.not_allowed')
        : error.status === 409 ? t('admin.retire_unit_conflict') : errorText(error)} />}
      <div class="buttons">
        <button type="submit">{t('admin.retire_unit_yes')}</button>
        <button type="button" class="secondary" onClick={onClose}>{t('action.cancel')}</button>
      </div>
    </form>
  );
}

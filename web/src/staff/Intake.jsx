// Counter intake (/can-bo/tiep-nhan): a one-stop officer records a dossier
// handed in at the counter or by post, from the keyboard alone. Type the
// procedure (arrows and Enter pick it), the applicant, tick consent, Enter.
// The receipt shows the number and the lookup code; the form is ready for
// the next citizen at once, keeping the procedure if asked to.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../common/api.js';
import { useData, useUnits } from '../common/data.js';
import { formatTimeLimit, pick, t } from '../common/i18n.js';
import { Link } from '../common/router.js';
import { ApplicantFields, ReceiptPdf, applicantBody, applicantProblems, emptyApplicant, levelOfCounter } from '../common/dossier.jsx';
import { ErrorNote, Field, Loading, Page, errorText } from '../common/ui.jsx';

export function IntakePage({ user }) {
  const { units, open, error } = useUnits();
  if (!units) return <Page title={t('intake.title')}>{error ? <ErrorNote error={error} /> : <Loading />}</Page>;
  return <Intake user={user} units={open} />;
}

function Intake({ user, units }) {
  const counters = user.roles.filter((r) => r.role === 'officer').map((r) => units.find((u) => u.id === r.unit_id)).filter(Boolean);
  const [unitId, setUnitId] = useState(counters[0] ? String(counters[0].id) : '');
  const [procedure, setProcedure] = useState(null);
  const [keep, setKeep] = useState(true);
  const [channel, setChannel] = useState('1');
  const [form, setForm] = useState(emptyApplicant);
  const [consent, setConsent] = useState(false);
  const [problems, setProblems] = useState({});
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [receipts, setReceipts] = useState([]);
  const nameRef = useRef(null);
  const unit = units.find((u) => String(u.id) === unitId);
  const level = unit && levelOfCounter(unit);

  if (counters.length === 0) return <Page title={t('intake.title')}><p>{t('intake.not_officer')}</p></Page>;
  const clear = (k) => setProblems((m) => { if (!(k in m)) return m; const n = { ...m }; delete n[k]; return n; });
  const set = (k) => (e) => { setForm({ ...form, [k]: e.currentTarget.value }); clear(k); };

  const submit = async (e) => {
    e.preventDefault();
    const m = {};
    if (!procedure) m.procedure = t('intake.procedure_required');
    Object.assign(m, applicantProblems(form));
    if (!consent) m.consent = t('intake.consent_required');
    setProblems(m);
    const first = Object.keys(m)[0];
    if (first) { document.getElementById(first === 'procedure' ? 'procedure' : first)?.focus(); return; }
    setBusy(true);
    setError(null);
    try {
      const r = await api('/api/v1/dossiers', {
        method: 'POST',
        body: {
          procedure_code: procedure.code, unit_id: Number(unitId), channel: Number(channel), consent: true,
          applicant: applicantBody(form),
          files: [],
        },
      });
      setReceipts([{ ...r, applicant: form.full_name.trim() }, ...receipts].slice(0, 10));
      setForm(emptyApplicant);
      setConsent(false);
      if (!keep) setProcedure(null);
      setTimeout(() => (keep ? nameRef.current : document.getElementById('procedure'))?.focus(), 0);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={t('intake.title')} wide>
      {receipts.length > 0 && <Receipt r={receipts[0]} />}
      <form class="intake" onSubmit={submit} noValidate>
        <div class="filters">
          {counters.length > 1 && (
            <Field id="unit" label={t('intake.unit')}>
              {(a) => (
                <select {...a} value={unitId} onChange={(e) => { setUnitId(e.currentTarget.value); setProcedure(null); }}>
                  {counters.map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}
                </select>
              )}
            </Field>
          )}
          <fieldset class="field">
            <legend>{t('dossier.channel')}</legend>
            {['1', '3'].map((c) => (
              <span class="check inline" key={c}>
                <input type="radio" name="channel" id={'channel-' + c} value={c} checked={channel === c}
                  onChange={() => setChannel(c)} />
                <label for={'channel-' + c}>{t('channel.' + c)}</label>
              </span>
            ))}
          </fieldset>
        </div>
        <ProcedurePicker level={level} value={procedure} error={problems.procedure}
          onPick={(p) => { setProcedure(p); setTimeout(() => nameRef.current?.focus(), 0); }} />
        {procedure && (
          <p class="meta">{t('procedure.time_limit')}: {formatTimeLimit(procedure.time_limit)}</p>
        )}
        <div class="check">
          <input type="checkbox" id="keep" checked={keep} onChange={(e) => setKeep(e.currentTarget.checked)} />
          <label for="keep">{t('intake.keep')}</label>
        </div>
        <ApplicantFields form={form} set={set} problems={problems} nameRef={nameRef} />
        <div class={problems.consent ? 'field invalid check' : 'field check'}>
          <input type="checkbox" id="consent" checked={consent} aria-invalid={problems.consent ? 'true' : undefined}
            aria-describedby={problems.consent ? 'consent-error' : undefined} onChange={(e) => { setConsent(e.currentTarget.checked); clear('consent'); }} />
          <label for="consent">{t('intake.consent')}</label>
          {problems.consent && <p class="error-text" id="consent-error">{problems.consent}</p>}
        </div>
        <ErrorNote text={error && (error.status === 400 ? t('form.fix') : errorText(error))} />
        <button type="submit" disabled={busy}>{t('intake.record')}</button>
        <p class="hint">{t('intake.keys')}</p>
      </form>
      {receipts.length > 1 && (
        <>
          <h2>{t('intake.earlier')}</h2>
          <ul class="files">
            {receipts.slice(1).map((r) => (
              <li key={r.dossier.id}><Link href={'/can-bo/ho-so/' + r.dossier.id}>{r.dossier.number}</Link> · {r.applicant}</li>
            ))}
          </ul>
        </>
      )}
    </Page>
  );
}

function Receipt({ r }) {
  return (
    <div class="card result" role="status">
      <h2>{t('intake.recorded', { number: r.dossier.number })}</h2>
      <dl class="facts">
        <div><dt>{t('submit.full_name')}</dt><dd>{r.applicant}</dd></div>
        <div><dt>{t('staff.procedure')}</dt><dd>{pick(r.dossier.procedure)}</dd></div>
        <div><dt>{t('intake.secret')}</dt><dd><strong class="secret">{r.lookup_secret}</strong></dd></div>
      </dl>
      <p><ReceiptPdf id={r.dossier.id} number={r.dossier.number} secret={r.lookup_secret} />{' '}
        <Link href={'/can-bo/ho-so/' + r.dossier.id}>{t('intake.open')}</Link></p>
    </div>
  );
}

// A combobox (WAI-ARIA pattern): type, arrows to move, Enter to pick,
// Escape to close. Searches the catalogue as one types, at this counter's level.
function ProcedurePicker({ level, value, error, onPick }) {
  const [q, setQ] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const asking = open && q.trim() !== '';
  const found = useData(asking ? (signal) => api('/api/v1/procedures', { query: { q: q.trim(), level, limit: 8 }, signal })
    : null, [q, level, asking], { delay: 120 });
  const items = (asking && found.data && found.data.items) || [];
  useEffect(() => setActive(0), [found.data]);
  useEffect(() => { if (value) setQ(pick(value)); }, [value]);

  const choose = (p) => { setOpen(false); onPick(p); };
  const onKey = (e) => {
    if (e.key === 'ArrowDown') { e.preventDefault(); setOpen(true); setActive((i) => Math.min(i + 1, items.length - 1)); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); setActive((i) => Math.max(i - 1, 0)); }
    else if (e.key === 'Enter' && open && items[active]) { e.preventDefault(); choose(items[active]); }
    else if (e.key === 'Escape') setOpen(false);
  };
  const expanded = open && items.length > 0;
  return (
    <div class={error ? 'field invalid combo' : 'field combo'}>
      <label for="procedure">{t('staff.procedure')}</label>
      <input id="procedure" role="combobox" aria-autocomplete="list" aria-expanded={expanded ? 'true' : 'false'}
        aria-controls="procedure-options" aria-activedescendant={expanded ? 'procedure-option-' + active : undefined}
        aria-describedby={error ? 'procedure-error' : 'procedure-hint'} aria-invalid={error ? 'true' : undefined}
        value={q} autoComplete="off" spellcheck={false}
        onInput={(e) => { setQ(e.currentTarget.value); setOpen(true); if (value) onPick(null); }}
        onKeyDown={onKey} onBlur={() => setTimeout(() => setOpen(false), 150)} />
      <p class="hint" id="procedure-hint">{t('home.search_hint')}</p>
      <ul id="procedure-options" role="listbox" aria-label={t('staff.procedure')} class={expanded ? 'options' : 'options hidden'}>
        {items.map((p, i) => (
          <li key={p.code} id={'procedure-option-' + i} role="option" aria-selected={i === active ? 'true' : 'false'}
            class={i === active ? 'active' : ''} onMouseDown={(e) => { e.preventDefault(); choose(p); }}>
            {pick(p)} <span class="meta">{p.code}</span>
          </li>
        ))}
      </ul>
      {error && <p class="error-text" id="procedure-error">{error}</p>}
    </div>
  );
}

// What citizens and staff both see of a dossier, and the applicant's part of
// a submission, online or at the counter.
import { useState } from 'preact/hooks';
import { csrfToken } from './api.js';
import { formatVnd, t } from './i18n.js';
import { ErrorNote, Field, errorText } from './ui.jsx';

export const emptyApplicant = { full_name: '', id_number: '', phone: '', email: '', address: '' };

const digitsOfPhone = (phone) => phone.replace(/[\s.]/g, '');

// The applicant's fields checked as the API will: what is missing or wrong,
// by field, in the page's words.
export function applicantProblems(form) {
  const m = {};
  for (const k of ['full_name', 'id_number', 'phone']) if (!form[k].trim()) m[k] = t('err.required');
  if (form.id_number.trim() && !/^\d{12}$/.test(form.id_number.trim())) m.id_number = t('submit.id_number_invalid');
  if (form.phone.trim() && !/^0\d{9}$/.test(digitsOfPhone(form.phone))) m.phone = t('submit.phone_invalid');
  return m;
}

export function applicantBody(form) {
  return {
    full_name: form.full_name.trim(), id_number: form.id_number.trim(), phone: digitsOfPhone(form.phone),
    email: form.email.trim() || undefined, address: form.address.trim() || undefined,
  };
}

// `own`: the citizen types their own data (the browser may fill it in); an
// officer types someone else's (it may not).
export function ApplicantFields({ form, set, problems, own, nameRef }) {
  const auto = (what) => (own ? what : 'off');
  return (
    <fieldset>
      <legend>{t('dossier.applicant')}</legend>
      <Field id="full_name" label={t('submit.full_name')} error={problems.full_name}>
        {(a) => <input {...a} ref={nameRef} value={form.full_name} autoComplete={auto('name')} onInput={set('full_name')} />}
      </Field>
      <div class="filters">
        <Field id="id_number" label={t('submit.id_number')} hint={own ? t('submit.id_number_hint') : undefined} error={problems.id_number}>
          {(a) => <input {...a} value={form.id_number} inputMode="numeric" autoComplete="off" onInput={set('id_number')} />}
        </Field>
        <Field id="phone" label={t('submit.phone')} error={problems.phone}>
          {(a) => <input {...a} type="tel" value={form.phone} autoComplete={auto('tel')} onInput={set('phone')} />}
        </Field>
      </div>
      <div class="filters">
        <Field id="email" label={t('submit.email_optional')}>
          {(a) => <input {...a} type="email" value={form.email} autoComplete={auto('email')} onInput={set('email')} />}
        </Field>
        <Field id="address" label={t('submit.address_optional')}>
          {(a) => <input {...a} value={form.address} autoComplete={auto('street-address')} onInput={set('address')} />}
        </Field>
      </div>
    </fieldset>
  );
}

// The units that receive a procedure of these levels (the API's rule: a
// commune receives commune procedures, the provincial centre provincial ones).
const receivingKind = { commune: 'commune', province: 'center' };
export function receivesLevels(unit, levels) {
  return levels.some((l) => receivingKind[l] === unit.kind);
}
export function levelOfCounter(unit) {
  return Object.keys(receivingKind).find((l) => receivingKind[l] === unit.kind);
}

// The office's open request: the documents asked for, or the fee.
export function Pending({ request }) {
  return (
    <div class="note warn">
      <h3>{t(request.kind === 'payment' ? 'lookup.pending_payment' : 'lookup.pending_supplement')}</h3>
      {request.reason && <p>{request.reason}</p>}
      {request.items && <ul>{request.items.map((i, k) => <li key={k}>{i.description}</li>)}</ul>}
      {request.fee_vnd !== undefined && <p>{formatVnd(request.fee_vnd)}</p>}
    </div>
  );
}

// The receipt (form 01) as a PDF to print or keep: asked for with the lookup
// code, which only the page that received it holds (motcua never stores it).
export function ReceiptPdf({ id, number, secret }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const get = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await fetch(`/api/v1/dossiers/${id}/receipt`, {
        method: 'POST', credentials: 'same-origin', body: JSON.stringify({ secret }),
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken() },
      });
      if (!r.ok) throw Object.assign(new Error(String(r.status)), { status: r.status });
      const a = document.createElement('a');
      a.href = URL.createObjectURL(await r.blob());
      a.download = `giay-tiep-nhan-${number}.pdf`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 60000);
    } catch (e) {
      setError(e.status ? e : { status: 0 });
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" class="secondary" disabled={busy} onClick={get}>{t('receipt.pdf')}</button>
      <ErrorNote text={error && errorText(error)} />
    </>
  );
}

// The forms of a dossier to print (Circular 03/2025): the letters its events
// decided, as the server lists them (02 supplements, 03 refusal, 04 apology,
// 05 stop), and the process control sheet (06).
export function PrintedForms({ d }) {
  return (
    <ul class="files">
      {d.forms.map((form) => (
        <li key={form}><a href={`/api/v1/dossiers/${d.id}/forms/${form}`} download={`mau-${form}-${d.number}.pdf`}>{t('form.' + form)}</a></li>
      ))}
      <li><a href={`/api/v1/dossiers/${d.id}/control-sheet`} download={`phieu-kiem-soat-${d.number}.pdf`}>{t('sheet.pdf')}</a></li>
    </ul>
  );
}

// What citizens and staff both see of a dossier.
import { formatVnd, t } from './i18n.js';

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

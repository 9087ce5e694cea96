// The staff dossier's "Notices to the citizen": the channels in force and who
// chose them, the masked contacts, the choice to record on the citizen's
// word, and every notice written for the dossier, newest first, with what
// became of it (a refused address in words and in the provider's own).
import { api } from '../common/api.js';
import { useData } from '../common/data.js';
import { formatMoment, t } from '../common/i18n.js';
import { NoticeChoice, noticesPath } from '../common/notices.jsx';
import { Definitions, ErrorNote, Loading } from '../common/ui.jsx';

const DESTINATIONS = new Set(['email', 'zalo', 'sms']);
const NOTICES = new Set(['receipt', 'supplement_request', 'payment_request', 'new_appointment', 'result_ready',
  'processing_stopped', 'refused', 'officer_digest']);
// A newer server's names, as they are.
const destinationName = (d) => (DESTINATIONS.has(d) ? t(`notify.dest.${d}`) : d);
const noticeName = (n) => (NOTICES.has(n) ? t(`notify.kind.${n}`) : n);

// Why a notice was given up, in words, from the provider's answer
// (src/integrations/notify/channels.cpp words it).
function deadReason(n) {
  const e = n.last_error || '';
  if (/SMTP 5\d\d/.test(e)) return t('notify.why.address_refused');
  if (/not an e-mail address/.test(e)) return t('notify.why.not_email');
  if (/error -118\b/.test(e)) return t('notify.why.no_zalo');
  if (/error -108\b|invalid phone number/.test(e)) return t('notify.why.bad_number');
  if (/^refused:/.test(e)) return t('notify.why.refused');
  return t('notify.why.gave_up', { n: n.attempts });
}

function NoticeState({ n }) {
  const said = n.last_error && <span class="meta">{t('notify.provider_said', { error: n.last_error })}</span>;
  switch (n.state) {
    case 'delivered':
      return <>{t('notify.st.delivered')}{n.finished_at && <span class="meta">{formatMoment(n.finished_at)}</span>}</>;
    case 'dead':
      return <><strong class="dead-mark">{t('notify.st.dead', { why: deadReason(n) })}</strong>{said}</>;
    case 'discarded':
      return <>{t('notify.st.discarded')}{said}</>;
    default:
      return <>{n.attempts > 0 ? t('notify.st.retrying', { n: n.attempts }) : t('notify.st.pending')}{said}</>;
  }
}

function chosenBy(p, user) {
  if (!p.chosen) return t('notify.by_default');
  const at = formatMoment(p.updated_at);
  if (p.updated_by === 'citizen') return t('notify.by_citizen', { at });
  if (p.updated_by === 'link') return t('notify.by_link', { at });
  const staff = /^staff:(\d+)$/.exec(p.updated_by || '');
  if (staff && Number(staff[1]) === user.id) return t('notify.by_you', { at });
  if (staff) return t('notify.by_staff', { id: staff[1], at });
  return `${p.updated_by || ''} ${at}`.trim();
}

const onOff = (on, to) => (!on ? t('notify.off') : to ? t('notify.on_to', { to }) : t('notify.on_no_contact'));

export function DossierNotices({ d, user }) {
  // Asked again after each action on the dossier (its version), which may write a notice.
  const { data, error, reload, set } = useData((signal) => api(noticesPath(d.id), { signal }), [d.id, d.version]);
  let body;
  if (!data) {
    body = error ? <ErrorNote error={error} onRetry={reload} /> : <Loading />;
  } else {
    const p = data.preferences;
    const notices = [...data.notices].sort((a, b) =>
      (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : b.id - a.id));
    body = (
      <>
        {data.channels.length === 0 ? <p class="note">{t('notify.no_channels')}</p>
          : <p>{t('notify.channels_here', { channels: data.channels.map(destinationName).join(', ') })}</p>}
        <Definitions rows={[
          [t('notify.email'), onOff(p.email, data.contacts.email)],
          [t('notify.phone'), onOff(p.phone, data.contacts.phone)],
          [t('notify.language'), t(`notify.lang.${p.language}`)],
          [t('notify.state'), p.stopped_at ? t('notify.stopped_at', { at: formatMoment(p.stopped_at) }) : t('notify.sending')],
          [t('notify.chosen_by'), chosenBy(p, user)],
        ]} />
        <h3>{t('notify.record')}</h3>
        <p class="hint">{t('notify.record_hint')}</p>
        <NoticeChoice id={d.id} data={data} onSaved={set} />
        <h3>{t('notify.list')}</h3>
        {notices.length === 0 ? <p>{t('notify.none_yet')}</p> : (
          <div class="table-wrap" tabIndex={0} role="region" aria-label={t('notify.list')}>
            <table class="notices">
              <thead>
                <tr>
                  <th scope="col">{t('notify.at')}</th>
                  <th scope="col">{t('notify.notice')}</th>
                  <th scope="col">{t('notify.channel')}</th>
                  <th scope="col">{t('notify.recipient')}</th>
                  <th scope="col">{t('notify.state')}</th>
                </tr>
              </thead>
              <tbody>
                {notices.map((n) => (
                  <tr key={n.id} class={n.state === 'dead' ? 'dead' : undefined}>
                    <td class="nowrap">{formatMoment(n.created_at)}</td>
                    <td>{noticeName(n.notice)}</td>
                    <td>{destinationName(n.destination)}</td>
                    <td>{n.to || '–'}</td>
                    <td class="notice-state"><NoticeState n={n} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p><button type="button" class="secondary" onClick={reload}>{t('notify.refresh')}</button></p>
      </>
    );
  }
  return (
    <section aria-labelledby="notices-heading">
      <h2 id="notices-heading">{t('notify.title')}</h2>
      {body}
    </section>
  );
}

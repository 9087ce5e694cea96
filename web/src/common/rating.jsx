// How the citizen rates the handling of a dossier once it has ended: on
// their own dossier's page, and on the public lookup for whoever holds the
// receipt. `send(level, comment)` posts the rating and resolves to it.
import { useState } from 'preact/hooks';
import { t } from './i18n.js';
import { ErrorNote, errorText } from './ui.jsx';

const LEVELS = [3, 2, 1];

export function Rating({ rating, canRate, send }) {
  const [mine, setMine] = useState(null);
  const [level, setLevel] = useState(0);
  const [comment, setComment] = useState('');
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const shown = mine || rating;
  if (shown) {
    return (
      <section class="card rating" aria-labelledby="rating-heading">
        <h2 id="rating-heading">{t('rating.title')}</h2>
        <p role={mine ? 'status' : undefined}>
          {mine && t('rating.thanks') + ' '}
          {t('rating.given', { level: t('rating_level.' + shown.level) })}
        </p>
        {shown.comment && <p class="hint">“{shown.comment}”</p>}
      </section>
    );
  }
  if (!canRate) return null;
  const submit = async (e) => {
    e.preventDefault();
    if (!level) {
      setMissing(true);
      document.getElementById('rating-3').focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      setMine(await send(level, comment.trim()));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <form class="card rating" onSubmit={submit} aria-labelledby="rating-heading" noValidate>
      <h2 id="rating-heading">{t('rating.title')}</h2>
      <fieldset class={missing ? 'field invalid' : 'field'} aria-describedby={missing ? 'rating-error' : undefined}>
        <legend>{t('rating.question')}</legend>
        {LEVELS.map((n) => (
          <div key={n} class="check">
            <input type="radio" name="rating" id={'rating-' + n} value={n} checked={level === n}
              onChange={() => { setLevel(n); setMissing(false); }} />
            <label for={'rating-' + n}>{t('rating_level.' + n)}</label>
          </div>
        ))}
        {missing && <p class="error-text" id="rating-error">{t('rating.choose')}</p>}
      </fieldset>
      <div class="field">
        <label for="rating-comment">{t('rating.comment')}</label>
        <textarea id="rating-comment" rows="3" maxLength={1000} value={comment}
          onInput={(e) => setComment(e.currentTarget.value)} />
      </div>
      <ErrorNote text={error && (error.status === 409 ? t('rating.closed') : errorText(error))} />
      <button type="submit" disabled={busy}>{t('rating.send')}</button>
    </form>
  );
}

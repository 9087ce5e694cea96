// The home page: find a procedure as you type, with or without diacritics.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../common/api.js';
import { useData } from '../common/data.js';
import { formatTimeLimit, formatVnd, pick, t } from '../common/i18n.js';
import { Link, navigate } from '../common/router.js';
import { ErrorNote, Page } from '../common/ui.jsx';

const PAGE = 20;

export function Home({ query }) {
  const [q, setQ] = useState(query.get('q') || '');
  const [level, setLevel] = useState(query.get('cap') || '');
  const [online, setOnline] = useState(query.get('hinh-thuc') || '');
  const ask = (offset) => (signal) => api('/api/v1/procedures', {
    query: { q: q.trim(), level, online_mode: online, limit: PAGE, offset }, signal,
  });
  // As the citizen types: wait for a pause of 150 ms, then ask; an answer to
  // an older question is dropped (aborted).
  const { data: result, error, loading: busy, reload, more } = useData(ask(0), [q, level, online], { delay: q ? 150 : 0 });
  const showMore = () => more(ask(result.items.length), (old, page) => ({ ...page, items: [...old.items, ...page.items] }));

  // The address keeps the search, so that back and a shared link work.
  useEffect(() => {
    const params = new URLSearchParams();
    if (q) params.set('q', q);
    if (level) params.set('cap', level);
    if (online) params.set('hinh-thuc', online);
    const url = '/' + (params.toString() ? '?' + params : '');
    if (url !== location.pathname + location.search) navigate(url, { replace: true });
  }, [q, level, online]);

  return (
    <Page title={t('home.title')}>
      <form class="search" role="search" onSubmit={(e) => { e.preventDefault(); reload(); }}>
        <label for="q">{t('home.search_label')}</label>
        <p class="hint" id="q-hint">{t('home.search_hint')}</p>
        <input id="q" type="search" value={q} autoComplete="off" spellcheck={false} aria-describedby="q-hint"
          aria-controls="results" onInput={(e) => setQ(e.currentTarget.value)} />
        <div class="filters">
          <div class="field">
            <label for="level">{t('home.level')}</label>
            <select id="level" value={level} onChange={(e) => setLevel(e.currentTarget.value)}>
              <option value="">{t('home.level_any')}</option>
              {['province', 'commune'].map((l) => <option value={l}>{t('level.' + l)}</option>)}
            </select>
          </div>
          <div class="field">
            <label for="online">{t('home.online')}</label>
            <select id="online" value={online} onChange={(e) => setOnline(e.currentTarget.value)}>
              <option value="">{t('home.online_any')}</option>
              {['full', 'partial', 'none'].map((m) => <option value={m}>{t('online.' + m)}</option>)}
            </select>
          </div>
        </div>
      </form>
      <ErrorNote error={error} onRetry={reload} />
      <section id="results" aria-busy={busy ? 'true' : 'false'}>
        <p class="count" role="status">{result ? t('home.count', { count: result.total }) : ''}</p>
        {result && result.total === 0 && <p>{t('home.none')}</p>}
        {result && (
          <ul class="procedures">
            {result.items.map((p) => (
              <li key={p.code}>
                <Link href={'/thu-tuc/' + encodeURIComponent(p.code)}>{pick(p)}</Link>
                <p class="meta">
                  <span>{p.field}</span>
                  <span>{formatTimeLimit(p.time_limit)}</span>
                  <span>{formatVnd(p.total_fee)}</span>
                  <span class={'badge online-' + p.online_mode}>{t('online.' + p.online_mode)}</span>
                </p>
              </li>
            ))}
          </ul>
        )}
        {result && result.items.length < result.total && (
          <button type="button" class="secondary" disabled={busy} onClick={showMore}>
            {t('home.more')}
          </button>
        )}
      </section>
      <aside class="card">
        <h2>{t('home.lookup_title')}</h2>
        <p>{t('home.lookup_text')}</p>
        <Link href="/tra-cuu" class="button">{t('home.lookup_link')}</Link>
      </aside>
    </Page>
  );
}

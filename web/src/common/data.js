// How every page loads what it shows: useData asks the API, says whether it
// is loading and what went wrong, and cancels what is in flight when the page
// goes away or asks for something else, so that an older answer never
// replaces a newer one. useUnits is the units tree, loaded that way.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api } from './api.js';

// `fetcher(signal)` returns a promise of the data; `deps` say when to ask
// again (as for useEffect). A null fetcher asks nothing (data is null).
// Options: `delay` (ms) waits that long after the last change before asking,
// as one types; `every` (ms) asks again that often while the tab is shown,
// and at once when it is shown again.
// Returns { data, error, loading, reload, set, more }:
// - data: the last answer (kept while the next one loads), null before;
// - error: what went wrong with the last attempt (an ApiError), null while
//   asking again and once an answer comes;
// - reload(): asks again;
// - set(data or old => new): changes the data without asking (an action's answer);
// - more(fetchMore, merge): one more request for the same data (the next
//   page), cancelled like the first; merge(old, answer) is the new data.
export function useData(fetcher, deps, { delay = 0, every = 0 } = {}) {
  const [state, setState] = useState({ data: null, error: null, loading: fetcher !== null });
  const [attempt, setAttempt] = useState(0);
  const current = useRef(null);  // the AbortController of the requests that count

  useEffect(() => {
    if (fetcher === null) {
      setState((s) => (s.data === null && s.error === null && !s.loading ? s : { data: null, error: null, loading: false }));
      return undefined;
    }
    const ctl = new AbortController();
    current.current = ctl;
    // Only the answer to the latest request counts (a poll may overtake one).
    let latest = 0;
    const run = () => {
      const n = ++latest;
      const counts = () => !ctl.signal.aborted && n === latest;
      fetcher(ctl.signal).then((data) => {
        if (counts()) setState({ data, error: null, loading: false });
      }, (error) => {
        if (counts() && error.name !== 'AbortError') setState((s) => ({ ...s, error, loading: false }));
      });
    };
    setState((s) => (s.loading && !s.error ? s : { ...s, error: null, loading: true }));
    const timer = setTimeout(run, delay);
    // Asked again quietly (loading stays false): the page keeps what it shows.
    const shown = () => { if (!document.hidden) run(); };
    const poll = every > 0 ? setInterval(shown, every) : null;
    if (poll !== null) document.addEventListener('visibilitychange', shown);
    return () => {
      ctl.abort();
      clearTimeout(timer);
      if (poll !== null) {
        clearInterval(poll);
        document.removeEventListener('visibilitychange', shown);
      }
    };
  }, [...deps, attempt]);

  return {
    ...state,
    reload: () => setAttempt((n) => n + 1),
    set: (next) => setState((s) => ({ ...s, data: typeof next === 'function' ? next(s.data) : next })),
    more: (fetchMore, merge) => {
      const ctl = current.current;
      if (!ctl) return;
      setState((s) => ({ ...s, loading: true }));
      fetchMore(ctl.signal).then((answer) => {
        if (!ctl.signal.aborted) setState((s) => ({ data: merge(s.data, answer), error: null, loading: false }));
      }, (error) => {
        if (!ctl.signal.aborted && error.name !== 'AbortError') setState((s) => ({ ...s, error, loading: false }));
      });
    },
  };
}

// Today in Vietnam, YYYY-MM-DD.
export const vnToday = () => new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10);

// Every unit, those retired by a merger too, as { units: [...] (null while
// loading), byId: Map, open: those in operation today, error, reload }.
export function useUnits() {
  const { data, error, reload } = useData(
    (signal) => api('/api/v1/units', { query: { include_retired: 'true' }, signal }), []);
  const units = data ? data.items : null;
  const byId = useMemo(() => new Map((units || []).map((u) => [u.id, u])), [units]);
  const open = useMemo(() => {
    const today = vnToday();
    return (units || []).filter((u) => u.valid_from <= today && (!u.valid_to || today < u.valid_to));
  }, [units]);
  return { units, byId, open, error, reload };
}

// A unit's name from useUnits()'s byId, its id while the names load.
export const unitName = (byId) => (id) => byId.get(id)?.name ?? String(id);

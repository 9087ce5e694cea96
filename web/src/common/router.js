// A small history router: useRoute() re-renders on navigation; <Link>
// navigates without a reload (a modified click opens a tab as usual).
import { h } from 'preact';
import { useEffect, useState } from 'preact/hooks';

const listeners = new Set();
// Which paths this app renders itself; a link elsewhere (another app on the
// same site) is an ordinary page load.
let own = () => true;
export function setOwnPaths(test) { own = test; }
export function ownsPath(path) { return own(path); }

function current() {
  return { path: location.pathname, query: new URLSearchParams(location.search) };
}

export function navigate(url, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  for (const f of listeners) f(current());
  if (!replace) window.scrollTo(0, 0);
}

addEventListener('popstate', () => { for (const f of listeners) f(current()); });

export function useRoute() {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    listeners.add(setRoute);
    return () => listeners.delete(setRoute);
  }, []);
  return route;
}

export function Link({ href, children, ...rest }) {
  const onClick = (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    if (rest.target || !own(new URL(href, location.href).pathname)) return;
    e.preventDefault();
    navigate(href);
  };
  return h('a', { href, onClick, ...rest }, children);
}

// "/thu-tuc/:code" against "/thu-tuc/1.2.3" -> {code: "1.2.3"}, or null. A
// last segment "*" matches the rest of the path, if any ("/can-bo/*").
// A trailing slash does not count: "/can-bo/" is "/can-bo", "/" is "".
export function match(pattern, path) {
  const p = pattern.replace(/\/+$/, '').split('/');
  const s = path.replace(/\/+$/, '').split('/');
  const rest = p[p.length - 1] === '*';
  if (rest) p.pop();
  if (rest ? s.length < p.length : p.length !== s.length) return null;
  const params = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) params[p[i].slice(1)] = decodeURIComponent(s[i]);
    else if (p[i] !== s[i]) return null;
  }
  return params;
}

// An app's pages as one table, in the order they are tried: each entry has
// `path` (a pattern for match()) and `page(params)`, which renders it; the
// app may add what it needs (which menu entry it belongs to, who may see it).
// Returns the first entry that matches with its params, or null.
export function findRoute(routes, path) {
  for (const route of routes) {
    const params = match(route.path, path);
    if (params) return { route, params };
  }
  return null;
}

// Workflows (/quan-tri/quy-trinh/{code}): the states and actions of each, as a
// diagram (states in columns by how many actions they are from the start)
// and as a table, which is what a screen reader reads.
import { useState } from 'preact/hooks';
import { ApiError, api, csrfToken } from '../../common/api.js';
import { useData } from '../../common/data.js';
import { JsonProblems, downloadText } from './editing.jsx';
import { formatTimeLimit, pick, t } from '../../common/i18n.js';
import { Link } from '../../common/router.js';
import { ErrorNote, Loading, Page, errorText } from '../../common/ui.jsx';

export function Workflows() {
  const { data: list, error } = useData((signal) => api('/api/v1/workflows', { signal }).then((r) => r.items), []);
  return (
    <Page title={t('admin.workflows')}>
      <ErrorNote error={error} />
      {!list && !error && <Loading />}
      {list && (
        <ul class="procedures">
          {list.map((w) => (
            <li key={w.code}>
              <Link href={'/quan-tri/quy-trinh/' + w.code}>{pick(w)}</Link>
              <p class="meta"><span>{w.code}</span><span>{t('admin.version', { version: w.version })}</span>
                <span>{t('admin.counts', { states: w.nodes.length, actions: w.edges.length })}</span></p>
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}

const W = 170;
const H = 56;
const GX = 60;
const GY = 26;

function layout(wf) {
  const depth = new Map([[wf.initial, 0]]);
  const queue = [wf.initial];
  while (queue.length) {
    const s = queue.shift();
    for (const e of wf.edges) {
      if (e.from === s && !depth.has(e.to)) { depth.set(e.to, depth.get(s) + 1); queue.push(e.to); }
    }
  }
  const columns = [];
  for (const n of wf.nodes) {
    const d = depth.get(n.id) ?? 0;
    (columns[d] ||= []).push(n);
  }
  const pos = new Map();
  columns.forEach((col, x) => col.forEach((n, y) => pos.set(n.id, { x: 10 + x * (W + GX), y: 10 + y * (H + GY) })));
  const width = 20 + columns.length * (W + GX) - GX;
  const height = 20 + Math.max(...columns.map((c) => c.length)) * (H + GY) - GY;
  return { pos, width, height };
}

export function Workflow({ code }) {
  const { data: wf, error } = useData((signal) => api('/api/v1/workflows/' + encodeURIComponent(code), { signal }), [code]);
  if (!wf) return <Page title={t('admin.workflows')}>{error ? <ErrorNote error={error} /> : <Loading />}</Page>;
  const { pos, width, height } = layout(wf);
  const name = (id) => pick(wf.nodes.find((n) => n.id === id)) || id;
  // One arrow per pair of states, labelled with its actions.
  const pairs = new Map();
  for (const e of wf.edges) {
    const k = e.from + '>' + e.to;
    if (!pairs.has(k)) pairs.set(k, { from: e.from, to: e.to, names: [] });
    if (!pairs.get(k).names.includes(pick(e))) pairs.get(k).names.push(pick(e));
  }
  return (
    <Page title={pick(wf)} wide>
      <p class="meta">{wf.code} · {t('admin.version', { version: wf.version })}</p>
      <div class="diagram" tabIndex={0} role="region" aria-label={t('admin.diagram')}>
        <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img"
          aria-label={t('admin.diagram_of', { name: pick(wf) })}>
          <defs>
            <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M 0 0 L 10 5 L 0 10 z" fill="#4a5460" />
            </marker>
          </defs>
          {[...pairs.values()].map((p) => {
            const a = pos.get(p.from);
            const b = pos.get(p.to);
            if (!a || !b) return null;
            const back = b.x <= a.x;
            const x1 = back ? a.x : a.x + W;
            const x2 = back ? b.x + W : b.x;
            const y1 = a.y + H / 2 + (back ? 8 : 0);
            const y2 = b.y + H / 2 + (back ? 8 : 0);
            return (
              <g key={p.from + p.to}>
                <line x1={x1} y1={y1} x2={x2} y2={y2} stroke="#4a5460" stroke-width="1.5" marker-end="url(#arrow)" />
                <title>{`${name(p.from)} → ${name(p.to)}: ${p.names.join(', ')}`}</title>
              </g>
            );
          })}
          {wf.nodes.map((n) => {
            const p = pos.get(n.id);
            return (
              <g key={n.id}>
                <rect x={p.x} y={p.y} width={W} height={H} rx="6" fill={n.terminal ? '#f2f5f8' : n.initial ? '#e6f4ea' : '#e7f0fa'}
                  stroke={n.terminal ? '#6b7682' : '#0b4f8a'} stroke-width={n.initial ? 2.5 : 1.5} />
                <foreignObject x={p.x + 4} y={p.y + 2} width={W - 8} height={H - 4}>
                  <div xmlns="http://www.w3.org/1999/xhtml" class="node-label">{pick(n)}</div>
                </foreignObject>
              </g>
            );
          })}
        </svg>
      </div>
      <h2>{t('admin.actions')}</h2>
      <div class="table-wrap" tabIndex={0} role="region" aria-label={t('admin.actions')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('admin.action')}</th>
              <th scope="col">{t('admin.from')}</th>
              <th scope="col">{t('admin.to')}</th>
              <th scope="col">{t('admin.roles')}</th>
              <th scope="col">{t('admin.budget')}</th>
            </tr>
          </thead>
          <tbody>
            {wf.edges.map((e, i) => (
              <tr key={i}>
                <td>{pick(e)}</td>
                <td>{name(e.from)}</td>
                <td>{name(e.to)}</td>
                <td>{e.roles.map((r) => t('role.' + r)).join(', ')}</td>
                <td>{e.budget ? formatTimeLimit(e.budget) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <DefinitionEditor key={wf.code} code={wf.code} />
      <p><Link href="/quan-tri/quy-trinh">{t('admin.workflows')}</Link></p>
    </Page>
  );
}

// Editing a definition: the loaded file, checked by the server as it would
// load it, each problem shown under the line it is about. Saving is a
// download: workflows are data files, deployed like the law they encode.
export function DefinitionEditor({ code }) {
  // The file as written (text, not JSON: its lines are what problems point at).
  const { data: loaded, error } = useData(async (signal) => {
    let r;
    try {
      r = await fetch('/api/v1/workflows/' + encodeURIComponent(code) + '/definition', { credentials: 'same-origin', signal });
    } catch (e) {
      throw e.name === 'AbortError' ? e : new ApiError(0, null);
    }
    if (!r.ok) throw new ApiError(r.status, null);
    return r.text();
  }, [code]);
  const [edited, setText] = useState(null);
  const [result, setResult] = useState(null);
  if (error) return <ErrorNote error={error} />;
  if (loaded === null) return <Loading />;
  const text = edited ?? loaded;
  const check = async () => {
    try {
      const r = await fetch('/api/v1/workflows/check', {
        method: 'POST', credentials: 'same-origin', body: text,
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken() },
      });
      const body = await r.json();
      setResult(r.ok ? { ok: body } : { problems: (body.error && body.error.fields) || {}, message: errorText({ status: r.status }) });
    } catch (e) {
      setResult({ problems: {}, message: e.message });
    }
  };
  const download = () => downloadText(code + '.json', text, 'application/json');
  return (
    <section aria-labelledby="definition-heading">
      <h2 id="definition-heading">{t('admin.definition')}</h2>
      <p class="hint">{t('admin.definition_hint')}</p>
      <label for="definition">{t('admin.definition_label')}</label>
      <textarea id="definition" class="code" rows={18} spellcheck={false} value={text}
        onInput={(e) => { setText(e.currentTarget.value); setResult(null); }} />
      <div class="buttons">
        <button type="button" onClick={check}>{t('admin.check')}</button>
        <button type="button" class="secondary" onClick={download}>{t('admin.download')}</button>
      </div>
      {result && result.ok && (
        <p class="note ok" role="status">{t('admin.valid', {
          states: result.ok.workflow.nodes.length, actions: result.ok.workflow.edges.length,
        })}{result.ok.loaded_version !== null && result.ok.workflow.version <= result.ok.loaded_version
          ? ' ' + t('admin.bump_version', { version: result.ok.loaded_version }) : ''}</p>
      )}
      {result && result.problems && <JsonProblems text={text} problems={result.problems} message={result.message} />}
    </section>
  );
}

// Texts administrators edit in the browser (a workflow definition, a
// procedure version, a year's holiday table): the problems the server found,
// each under the line it is about with two lines of context, and saving the
// text as the data file it is deployed as.
import { t } from '../../common/i18n.js';
import { lineOf, linesOfPaths } from './jsonpaths.js';

// `problems`: [{line (1-based), message}]; `message` when there is none to place.
export function LineProblems({ text, problems, message }) {
  const byLine = new Map();
  for (const p of problems) {
    if (!byLine.has(p.line)) byLine.set(p.line, []);
    byLine.get(p.line).push(p.message);
  }
  const near = (n) => [...byLine.keys()].some((k) => Math.abs(k - n) <= 2);
  return (
    <div role="alert">
      <p class="note error">{t('admin.problems', { count: problems.length || 1 })}</p>
      <ol class="listing">
        {text.split('\n').map((l, k) => near(k + 1) && (
          <li key={k} value={k + 1} class={byLine.has(k + 1) ? 'bad' : ''}>
            <code>{l || ' '}</code>
            {byLine.has(k + 1) && byLine.get(k + 1).map((m, j) => <p key={j} class="error-text">{m}</p>)}
          </li>
        ))}
      </ol>
      {problems.length === 0 && <p class="error-text">{message}</p>}
    </div>
  );
}

// A JSON text: `problems` maps a JSON path ("actions[0].to",
// "time_limit.value") to its message.
export function JsonProblems({ text, problems, message }) {
  const at = linesOfPaths(text);
  const placed = Object.entries(problems).map(([path, m]) => ({ line: lineOf(at, path), message: `${path}: ${m}` }));
  return <LineProblems text={text} problems={placed} message={message} />;
}

// Saves `text` as a file called `name`, as the browser downloads.
export function downloadText(name, text, type) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name;
  a.click();
  URL.revokeObjectURL(a.href);
}

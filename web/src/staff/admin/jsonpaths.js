// Where each value of a JSON text starts: "actions[3].to" -> its line (1-based).
// Used to show a workflow's problems next to the lines they are about. A text
// that does not parse maps what it can, up to the error.
export function linesOfPaths(text) {
  const lines = new Map([['$', 1]]);
  let i = 0;
  let line = 1;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) { if (text[i] === '\n') line++; i++; }
  };
  const string = () => {
    let out = '';
    i++;  // opening quote
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') { out += text[i + 1]; i += 2; } else { if (text[i] === '\n') line++; out += text[i++]; }
    }
    i++;
    return out;
  };
  const value = (path) => {
    ws();
    if (path) lines.set(path, line);
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      while (i < text.length && text[i] !== '}') {
        ws();
        if (text[i] !== '"') throw new Error('key');
        const key = string();
        ws();
        i++;  // colon
        value(path ? `${path}.${key}` : key);
        ws();
        if (text[i] === ',') i++;
        ws();
      }
      i++;
    } else if (c === '[') {
      i++;
      let n = 0;
      ws();
      while (i < text.length && text[i] !== ']') {
        value(`${path}[${n++}]`);
        ws();
        if (text[i] === ',') i++;
        ws();
      }
      i++;
    } else if (c === '"') {
      string();
    } else {
      while (i < text.length && !/[\s,\]}]/.test(text[i])) i++;
    }
  };
  try { value(''); } catch { /* a broken text: what was mapped stays */ }
  return lines;
}

// The line of a problem's path, or of its nearest parent that has one.
export function lineOf(lines, path) {
  for (let p = path; p; p = p.replace(/(\.[^.[\]]+|\[\d+\])$/, '')) {
    if (lines.has(p)) return lines.get(p);
    if (!/(\.[^.[\]]+|\[\d+\])$/.test(p)) break;
  }
  return 1;
}

// Plumbing shared by the self-checks of the Node stand-ins
// (tests/standins/*/selfcheck.mjs): counting checks and printing the ones
// that fail, starting a stand-in as a child process and reading its port,
// one HTTP request at a time, and the run itself (a temporary folder,
// cleaning up, the summary and the exit status). What each self-check walks
// through stays in its own file.
//
// Node's built-in modules only.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';

// ---------------------------------------------------------------- checks

let failures = 0;
let checks = 0;

// One check: `actual` must deeply equal `expected`; a mismatch is printed.
export function expect(label, actual, expected) {
  checks++;
  if (isDeepStrictEqual(actual, expected)) return;
  failures++;
  console.log(`FAIL ${label}\n  expected ${JSON.stringify(expected)}\n  got      ${JSON.stringify(actual)}`);
}

export const expectTrue = (label, cond, detail = '') => expect(`${label}${detail ? ` (${detail})` : ''}`, !!cond, true);

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------- processes

const children = new Set();
let tmpDir = null;

// What a self-check works with: `start`, which starts the server.mjs next to
// the self-check (`selfcheckUrl` being its import.meta.url), and a fresh
// temporary folder `tmpDir` (removed by run()) holding `stateFile`, a path
// for --state.
export function setUp(name, selfcheckUrl, { mayExit = false } = {}) {
  const server = path.join(path.dirname(fileURLToPath(selfcheckUrl)), 'server.mjs');
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-selfcheck-`));
  return { start: (args) => start(server, args, { mayExit }), tmpDir, stateFile: path.join(tmpDir, 'state.json') };
}

// Starts the stand-in `server` (a path to its server.mjs) with `args` on a
// free port; resolves once it printed its port, as {child, port, stdout,
// stderr, exited} (stdout and stderr grow as it writes; `exited` resolves to
// {code, signal}). A server that exits first rejects the promise, or, with
// `mayExit`, resolves it with {exitedEarly: {code, signal}} and no port.
function start(server, args = [], { mayExit = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [server, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    const proc = { child, stdout: '', stderr: '', port: 0 };
    child.stderr.on('data', (c) => { proc.stderr += c; });
    child.stdout.on('data', (c) => {
      proc.stdout += c;
      const m = /^listening on (\d+)\n/.exec(proc.stdout);
      if (m && !proc.port) resolve(Object.assign(proc, { port: Number(m[1]) }));
    });
    proc.exited = new Promise((done) => child.on('exit', (code, signal) => {
      children.delete(child);
      done({ code, signal });
      if (proc.port) return;
      if (mayExit) resolve(Object.assign(proc, { exitedEarly: { code, signal } }));
      else reject(new Error(`server exited before listening: ${proc.stderr}`));
    }));
  });
}

// Sends `signal` to a started server; resolves to its {code, signal} once it exited.
export async function kill(proc, signal) {
  proc.child.kill(signal);
  return proc.exited;
}

// ---------------------------------------------------------------- HTTP client

// One request on a fresh connection. Resolves {status, headers, json, text}
// or {error: code} when the connection fails or `timeout` ms pass.
export function request(port, method, urlPath, { body, raw, headers = {}, timeout = 5000 } = {}) {
  return new Promise((resolve) => {
    const data = raw !== undefined ? Buffer.from(raw) : body !== undefined ? Buffer.from(JSON.stringify(body)) : null;
    const req = http.request({ host: '127.0.0.1', port, method, path: urlPath, agent: false, headers: {
      ...(data ? { 'Content-Type': 'application/json', 'Content-Length': data.length } : {}), ...headers } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json;
        try { json = JSON.parse(text); } catch { json = undefined; }
        resolve({ status: res.statusCode, headers: res.headers, text, json });
      });
      res.on('error', (err) => resolve({ error: err.code ?? err.message }));
    });
    req.setTimeout(timeout, () => req.destroy(Object.assign(new Error('timeout'), { code: 'CLIENT_TIMEOUT' })));
    req.on('error', (err) => resolve({ error: err.code ?? err.message }));
    req.end(data ?? undefined);
  });
}

// The control calls of a message gateway (sms, zalo) started as `proc`.
export const gatewayControl = (proc) => ({
  messages: async () => (await request(proc.port, 'GET', '/_control/messages')).json,
  faults: (spec) => request(proc.port, 'POST', '/_control/faults', { body: spec }),
  reset: () => request(proc.port, 'POST', '/_control/reset'),
});

// ---------------------------------------------------------------- shared walks

// SIGTERM exits with status 0, promptly, even with a call (the promise
// `held`, of a request that a hang fault holds open) in flight, which is
// dropped. `what` names the call in the labels.
export async function expectCleanSigterm(proc, held, what) {
  await sleep(200);
  const t0 = Date.now();
  const exit = await kill(proc, 'SIGTERM');
  expect('SIGTERM: exit code', exit, { code: 0, signal: null });
  expectTrue('SIGTERM: prompt', Date.now() - t0 < 1500, `${Date.now() - t0} ms`);
  expectTrue(`SIGTERM: held ${what} dropped`, (await held).error);
}

// What every message gateway (sms, zalo) started as `proc` answers alike:
// another method than POST on its `endpoint` (405), another path `otherPath`
// (404), an unknown control route (404).
export async function expectGatewayRoutes(proc, endpoint, otherPath) {
  let r = await request(proc.port, 'GET', endpoint);
  expect(`GET ${endpoint}`, r.status, 405);
  r = await request(proc.port, 'POST', otherPath);
  expect('unknown path', r.status, 404);
  r = await request(proc.port, 'GET', '/_control/nothing');
  expect('unknown control route', r.status, 404);
}

// The fault configurations every message gateway refuses with HTTP 400: an
// unknown key, a body that is not a JSON object (with an error message).
export async function expectGatewayFaultRefusals(proc) {
  let r = await gatewayControl(proc).faults({ explode: 1 });
  expect('unknown fault', r.status, 400);
  r = await request(proc.port, 'POST', '/_control/faults', { raw: '[1]' });
  expect('faults: not an object', [r.status, typeof r.json?.error], [400, 'string']);
}

// ---------------------------------------------------------------- the run

// Runs main(), counting an exception it throws as a failed check; then kills
// the servers still running, removes the temporary folder, prints the
// summary and exits with status 1 if any check failed, 0 otherwise.
export async function run(main) {
  try {
    await main();
  } catch (err) {
    failures++;
    console.log(`FAIL ${err.stack ?? err}`);
  } finally {
    for (const child of children) child.kill('SIGKILL');
    if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
  }
  console.log(failures ? `${failures} of ${checks} checks failed` : `all ${checks} checks passed`);
  process.exit(failures ? 1 : 0);
}

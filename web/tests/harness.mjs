// What the browser tests share: a real `motcua serve` on a fresh SQLite
// database with the demo province, serving the built front end (dist/), and
// Debian's Chromium driven by playwright-core.
//   MOTCUA_BINARY      the motcua binary (default ../build/motcua)
//   MOTCUA_WEB_DIST    the built front end (default dist/)
//   CHROMIUM           the browser (default /usr/bin/chromium)
// Screenshots go to ../tests/artifacts/screenshots/.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

const web = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const repo = resolve(web, '..');
const binary = process.env.MOTCUA_BINARY || join(repo, 'build', 'motcua');
const dist = process.env.MOTCUA_WEB_DIST || join(web, 'dist');
export const screenshots = join(repo, 'tests', 'artifacts', 'screenshots');
export const PASSWORD = 'motcua-demo-2026';

function run(args) {
  const r = spawnSync(binary, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`motcua ${args.join(' ')} failed (${r.status}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

// A fresh province. With `dossiers`, that many demo dossiers handled by the
// demo's staff over the last six weeks (inboxes with work in them).
export async function startServer({ dossiers = 0, serveArgs = [] } = {}) {
  if (!existsSync(binary)) throw new Error(`no motcua binary at ${binary}: build it first`);
  if (!existsSync(join(dist, 'index.html'))) throw new Error(`no built front end in ${dist}: run npm run build`);
  const dir = mkdtempSync(join(tmpdir(), 'motcua-web-'));
  const data = join(dir, 'data');
  for (const d of ['demo', 'documents', 'holidays', 'integrations', 'notifications', 'statistics', 'workflows']) cpSync(join(repo, 'data', d), join(data, d), { recursive: true });
  const db = `sqlite:${join(dir, 'm.db')}`;
  run(['migrate', '--db', db, '--log-level', 'warn']);
  run(['demo', '--db', db, '--data-dir', data, '--log-level', 'warn']);
  if (dossiers > 0) {
    const from = new Date(Date.now() - 45 * 86400e3).toISOString().slice(0, 10);
    run(['seed', '--db', db, '--data-dir', data, '--dossiers', String(dossiers), '--from', from,
      '--actors', 'staff', '--log-level', 'warn']);
  }
  const child = spawn(binary, ['serve', '--db', db, '--data-dir', data, '--web-dir', dist,
    '--listen', '127.0.0.1:0', '--log-level', 'warn', ...serveArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c) => { stderr += c; });
  const url = await new Promise((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error('motcua serve did not start: ' + stderr)), 15000);
    child.stdout.on('data', (c) => {
      out += c;
      const m = out.match(/listening on (http:\/\/[0-9.:]+)/);
      if (m) { clearTimeout(timer); ok(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); fail(new Error(`motcua serve exited ${code}: ${stderr}`)); });
  });
  return {
    url,
    data,  // the data folder: keys/signers/USERNAME.p12 are the demo leaders' signing files
    // A clean stop is part of the test: exit 0 (under ASan, no leak either).
    async stop() {
      const exited = new Promise((ok) => child.once('exit', (code, signal) => ok({ code, signal })));
      child.kill('SIGTERM');
      const { code, signal } = await exited;
      rmSync(dir, { recursive: true, force: true });
      if (code !== 0) throw new Error(`motcua serve exited with ${code ?? signal}: ${stderr.slice(-2000)}`);
    },
  };
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    // This machine's network is closed: no background connections.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

export async function shoot(page, name) {
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, name + '.png'), fullPage: true });
}

// Signs in through the API; returns what later calls need.
export async function signIn(url, username) {
  const res = await fetch(url + '/api/v1/auth/login', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (!res.ok) throw new Error(`sign-in of ${username}: ${res.status} ${await res.text()}`);
  const body = await res.json();
  const cookie = res.headers.get('set-cookie').split(';')[0];
  return { cookie, csrf: body.csrf_token, user: body.user };
}

export async function call(url, who, method, path, body) {
  const res = await fetch(url + path, {
    method,
    headers: { 'content-type': 'application/json', cookie: who.cookie, 'x-csrf-token': who.csrf },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

// A dossier received at Phường Phan Đình Phùng's counter; returns its
// number and lookup code (as printed on the receipt). `more`: more of the
// applicant (an e-mail address).
export async function counterDossier(url, fullName = 'Nguyễn Văn An', more = {}) {
  const officer = await signIn(url, 'motcua.phandinhphung');
  const units = await (await fetch(url + '/api/v1/units?kind=commune')).json();
  const unit = units.items.find((u) => u.name === 'Phường Phan Đình Phùng');
  const r = await call(url, officer, 'POST', '/api/v1/dossiers', {
    procedure_code: '1.001702.000.00.00.H56', unit_id: unit.id, consent: true,
    applicant: { full_name: fullName, id_number: '001099012345', phone: '0912345678', ...more }, files: [],
  });
  return { id: r.dossier.id, number: r.dossier.number, secret: r.lookup_secret, officer };
}

// Waits until fn() gives `expected` (pages render after their data comes);
// fails with the last value seen.
export async function until(fn, expected, timeout = 10000) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    last = await fn();
    if (last === expected) return;
    if (Date.now() > end) break;
    await new Promise((ok) => setTimeout(ok, 50));
  }
  throw new Error(`expected ${JSON.stringify(expected)}, still ${JSON.stringify(last)} after ${timeout} ms`);
}

export const heading = (page) => () => page.locator('h1').innerText();

// axe-core's serious and critical WCAG 2.1 A/AA violations on the page as it
// is now. Evaluated through the DevTools protocol, which the page's own
// Content-Security-Policy does not block.
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
export async function axe(page) {
  if (!(await page.evaluate(() => !!window.axe))) await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  }));
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

// A test file's server and browser: started before its first test, stopped
// after its last (the server must stop cleanly).
// `options` may be an async function, called when the server starts; it
// awaits the `ready` of the stand-ins it names (node:test runs the hooks of
// the file's top level at once, not one after another).
export function serverAndBrowser(options) {
  const env = { server: null, browser: null };
  before(async () => {
    env.server = await startServer(typeof options === 'function' ? await options() : options);
    env.browser = await launch();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}

// A new browser context signed in through the portal's own sign-in page, as
// a person does; `next` is the page asked for (`?tiep=`). Page errors are
// collected in page.errors.
export async function signInPage(env, username, { viewport = { width: 1280, height: 900 }, next = '' } = {}) {
  const context = await env.browser.newContext({ viewport });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  await fillSignIn(page, env, username, next);
  await page.waitForURL((u) => !u.pathname.startsWith('/dang-nhap'));
  return page;
}

export async function fillSignIn(page, env, username, next = '') {
  await page.goto(env.server.url + '/dang-nhap' + (next ? '?tiep=' + encodeURIComponent(next) : ''));
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(PASSWORD);
  await page.getByRole('button', { name: 'Đăng nhập' }).last().click();
}

// A stand-in for an outside system (tests/standins/NAME/server.mjs) in its
// own process for the file's tests. `ready` resolves to its address once it
// listens (then `url` holds it); `control(method, path, body)` speaks to its
// control API. `command`: another program and its script (the mail server's
// Python), `scheme`: its address's (smtp).
export function standIn(name, args = [], { command, scheme = 'http' } = {}) {
  const s = { url: null, child: null };
  let started;
  s.ready = new Promise((ok, fail) => { started = { ok, fail }; });
  before(async () => {
    const [program, ...script] = command || [process.execPath, join(repo, 'tests', 'standins', name, 'server.mjs')];
    s.child = spawn(program, [...script, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
    s.url = await new Promise((ok, fail) => {
      let out = '';
      const timer = setTimeout(() => fail(new Error(`the ${name} stand-in did not start`)), 10000);
      s.child.stdout.on('data', (c) => {
        out += c;
        const m = out.match(/listening on (\d+)/);
        if (m) { clearTimeout(timer); ok(`${scheme}://127.0.0.1:${m[1]}`); }
      });
    }).catch((e) => { started.fail(e); throw e; });
    started.ok(s.url);
  });
  after(() => { s.child?.kill('SIGTERM'); });
  s.control = async (method, path, body) => {
    const res = await fetch(s.url + path, {
      method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${name} ${method} ${path}: ${res.status}`);
    return res.json();
  };
  return s;
}

// The mail server citizen e-mail goes through (tests/standins/smtp/mailbox.py:
// a real SMTP server, Debian's aiosmtpd, which refuses `bad…@` with 550).
// `ready` resolves to its smtp:// address; `messages()` is every message it
// accepted, decoded ({rcpt_tos, subject, text, headers: {'List-Unsubscribe', ...}}).
export function mailbox() {
  const dir = mkdtempSync(join(tmpdir(), 'motcua-mail-'));
  const out = join(dir, 'mail.jsonl');
  const s = standIn('smtp', ['--out', out],
    { command: ['/usr/bin/python3', join(repo, 'tests', 'standins', 'smtp', 'mailbox.py')], scheme: 'smtp' });
  after(() => rmSync(dir, { recursive: true, force: true }));
  s.messages = () => (existsSync(out) ? readFileSync(out, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []);
  return s;
}

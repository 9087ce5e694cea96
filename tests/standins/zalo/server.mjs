#!/usr/bin/env node
// Stand-in for Zalo ZNS, the template notification service that reaches a
// citizen by phone number (Zalo Notification Service).
//
// It follows the send call as Zalo's documentation and several independent
// clients show it (see tests/standins/README.md and /work/shared/INTEGRATIONS.md
// §5): POST /message/template with an `access_token` header and
// {phone, template_id, template_data, tracking_id}, answered by HTTP 200
// {error, message, data}, 0 meaning sent. It keeps what it was sent, so
// tests can read it back, and injects faults when a test asks for them
// through the control API under /_control/.
//
// Node's built-in modules only; runs on Node 18 and later.
//
//   node server.mjs --port 0 [--host 127.0.0.1] [--access-token T]
//                   [--templates FILE] [--state FILE]

import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

// ---------------------------------------------------------------- options

function parseArgs(argv) {
  const opts = { port: '0', host: '127.0.0.1', accessToken: 'zalo-test-token', templates: null, state: null };
  const flags = { '--port': 'port', '--host': 'host', '--access-token': 'accessToken', '--templates': 'templates',
                  '--state': 'state' };
  for (let i = 0; i < argv.length; i++) {
    let [flag, value] = argv[i].split(/=(.*)/s, 2);  // both "--port 0" and "--port=0"
    if (!(flag in flags)) fail(`unknown option ${flag}`);
    if (value === undefined && (value = argv[++i]) === undefined) fail(`${flag} needs a value`);
    opts[flags[flag]] = value;
  }
  opts.port = Number(opts.port);
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) fail('--port must be 0..65535');
  if (opts.accessToken === '') fail('--access-token must not be empty');
  return opts;
}

function fail(message) {
  process.stderr.write(`zalo stand-in: ${message}\n`);
  process.exit(2);
}

// The approved templates, template_id -> its parameter names, or null when
// any template id is accepted with any parameters.
function loadTemplates(file) {
  if (file === null) return null;
  let j;
  try {
    j = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    fail(`cannot read the templates file ${file}: ${err.message}`);
  }
  if (typeof j !== 'object' || j === null || Array.isArray(j)) fail(`${file}: must be a JSON object`);
  const templates = new Map();
  for (const [id, params] of Object.entries(j)) {
    const ok = Array.isArray(params) && params.every((p) => typeof p === 'string' && p !== '')
      && new Set(params).size === params.length;
    if (id === '' || !ok) fail(`${file}: template ${JSON.stringify(id)} must map to an array of distinct parameter names`);
    templates.set(id, params);
  }
  return templates;
}

const opts = parseArgs(process.argv.slice(2));
const templates = loadTemplates(opts.templates);
const log = (line) => process.stderr.write(`${new Date().toISOString()} zalo ${line}\n`);

// ---------------------------------------------------------------- state

function emptyState() {
  return {
    messages: [],               // messages sent, in order of arrival
    trackingIds: new Set(),     // derived from `messages`
    duplicates: 0,              // sends whose tracking_id had been sent already (and were sent again)
    calls: 0,                   // POST /message/template calls received, whatever their outcome
    faultsApplied: new Map(),   // "fail" | "hang" | "not_on_zalo" | "expire_token" -> times applied
  };
}

// The shape of GET /_control/messages, which is also the shape of the --state file.
function stateToJSON(s) {
  return {
    messages: s.messages,
    duplicates: s.duplicates,
    calls: s.calls,
    faults_applied: Object.fromEntries(s.faultsApplied),
  };
}

function loadState() {
  const s = emptyState();
  if (!opts.state || !fs.existsSync(opts.state)) return s;
  try {
    const j = JSON.parse(fs.readFileSync(opts.state, 'utf8'));
    s.messages = j.messages ?? [];
    for (const m of s.messages) s.trackingIds.add(m.tracking_id);
    s.duplicates = j.duplicates ?? 0;
    s.calls = j.calls ?? 0;
    s.faultsApplied = new Map(Object.entries(j.faults_applied ?? {}));
    return s;
  } catch (err) {
    fail(`cannot read the state file ${opts.state}: ${err.message}`);
  }
}

// Writes the state to --state atomically (temp file, fsync, rename), so that
// a SIGKILL at any moment leaves either the old or the new file.
function persist() {
  if (!opts.state) return;
  const tmp = `${opts.state}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeFileSync(fd, JSON.stringify(stateToJSON(state)));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, opts.state);
  try {  // make the rename itself durable; not every platform can fsync a directory
    const dir = fs.openSync(path.dirname(path.resolve(opts.state)), 'r');
    try { fs.fsyncSync(dir); } finally { fs.closeSync(dir); }
  } catch { /* best effort */ }
}

let state = loadState();
const hanging = new Set();  // sockets held open by the hang fault

const bump = (map, key) => map.set(key, (map.get(key) ?? 0) + 1);

// ---------------------------------------------------------------- faults

// The whole fault configuration; each POST /_control/faults replaces it.
const noFaults = () => ({ failNext: 0, status: 500, hangNext: 0, notOnZalo: new Set(), expireToken: false });
let faults = noFaults();

const faultsToJSON = (f) => ({ fail_next: f.failNext, status: f.status, hang_next: f.hangNext,
                               not_on_zalo: [...f.notOnZalo], expire_token: f.expireToken });

// Parses a fault configuration; returns [faults, null] or [null, error].
function parseFaults(body) {
  const known = new Set(['fail_next', 'status', 'hang_next', 'not_on_zalo', 'expire_token']);
  const unknown = Object.keys(body).find((k) => !known.has(k));
  if (unknown !== undefined) return [null, `unknown fault ${unknown}; known: ${[...known].join(', ')}`];
  const f = noFaults();
  const count = (name) => {
    const v = body[name] ?? 0;
    return Number.isInteger(v) && v >= 0 ? v : null;
  };
  if ((f.failNext = count('fail_next')) === null) return [null, 'fail_next must be a non-negative integer'];
  if ((f.hangNext = count('hang_next')) === null) return [null, 'hang_next must be a non-negative integer'];
  if (body.status !== undefined) {
    if (!('fail_next' in body)) return [null, 'status goes with fail_next'];
    if (!Number.isInteger(body.status) || body.status < 400 || body.status > 599) {
      return [null, 'status must be an HTTP error status, 400..599'];
    }
    f.status = body.status;
  }
  const phones = body.not_on_zalo ?? [];
  if (!Array.isArray(phones) || !phones.every((p) => typeof p === 'string')) {
    return [null, 'not_on_zalo must be an array of strings'];
  }
  f.notOnZalo = new Set(phones);
  f.expireToken = body.expire_token ?? false;
  if (typeof f.expireToken !== 'boolean') return [null, 'expire_token must be true or false'];
  return [f, null];
}

// ---------------------------------------------------------------- the contract

// A refusal: Zalo answers HTTP 200 {error: <negative code>, message}. The
// message is Zalo's fixed text; `why` says more, in the log only.
class Refusal extends Error {
  constructor(error, message, why = message, status = 200) {
    super(why);
    this.status = status;
    this.body = { error, message };
  }
}

const TOKEN_INVALID = () => new Refusal(-124, 'Access token invalid');
const TOKEN_EXPIRED = () => new Refusal(-216, 'Access token has expired');
const PHONE_INVALID = (why) => new Refusal(-108, 'Phone number invalid', why);
const TEMPLATE_ID_INVALID = (why) => new Refusal(-109, 'Template ID invalid', why);
const DATA_EMPTY = (why) => new Refusal(-111, 'Template data empty', why);
const DATA_INVALID = (why) => new Refusal(-112, 'Template data invalid', why);
const NOT_ON_ZALO = () => new Refusal(-118, 'Zalo account not existed');
// Not one of Zalo's codes: a request that is not the API's JSON at all.
const MALFORMED = (why) => new Refusal(-400, why, why, 400);

const PHONE = /^84[35789]\d{8}$/;   // a Vietnamese mobile number: 84, no "+", no leading 0
const MAX_PARAM = 200;              // the longest parameter Zalo allows (address, product name)
const DAILY_QUOTA = 500;            // reported in every success; informative, never enforced
const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseBody(req, raw) {
  if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
    throw MALFORMED('Content-Type must be application/json');
  }
  let body;
  try { body = JSON.parse(raw.toString('utf8')); } catch { /* checked below */ }
  if (!isObject(body)) throw MALFORMED('body must be a JSON object');
  return body;
}

// Checks template_data against the template's declared parameters (any
// parameter names when no --templates file was given).
function checkTemplateData(data, params) {
  if (data === undefined || data === null) throw DATA_EMPTY('template_data is missing');
  if (!isObject(data)) throw DATA_INVALID('template_data must be an object');
  const names = Object.keys(data);
  if (names.length === 0 && (params === null || params.length > 0)) throw DATA_EMPTY('template_data is {}');
  if (params !== null) {
    const missing = params.find((p) => !Object.hasOwn(data, p));
    if (missing !== undefined) throw DATA_INVALID(`parameter ${missing} is missing`);
    const extra = names.find((n) => !params.includes(n));
    if (extra !== undefined) throw DATA_INVALID(`parameter ${extra} is not in the template`);
  }
  for (const [name, value] of Object.entries(data)) {
    if (typeof value !== 'string') throw DATA_INVALID(`parameter ${name} must be a string`);
    if (value === '') throw DATA_INVALID(`parameter ${name} is empty`);
    if (value.length > MAX_PARAM) throw DATA_INVALID(`parameter ${name} is longer than ${MAX_PARAM} characters`);
  }
}

// A whole send past the hang and fail faults. Returns [status, body, note for the log].
function send(req, raw) {
  try {
    const token = req.headers.access_token;
    if (token !== opts.accessToken) throw TOKEN_INVALID();
    if (faults.expireToken) {
      bump(state.faultsApplied, 'expire_token');
      throw TOKEN_EXPIRED();
    }
    const body = parseBody(req, raw);
    const { phone, template_id: templateId, template_data: data, tracking_id: trackingId } = body;
    if (typeof phone !== 'string' || !PHONE.test(phone)) throw PHONE_INVALID(`phone ${JSON.stringify(phone)}`);
    if (typeof templateId !== 'string' || templateId === '') {
      throw TEMPLATE_ID_INVALID('template_id must be a non-empty string');
    }
    const params = templates === null ? null : templates.get(templateId);
    if (params === undefined) throw TEMPLATE_ID_INVALID(`template ${templateId} is not approved`);
    checkTemplateData(data, params);
    if (typeof trackingId !== 'string' || trackingId === '') throw MALFORMED('tracking_id must be a non-empty string');
    if (faults.notOnZalo.has(phone)) {
      bump(state.faultsApplied, 'not_on_zalo');
      throw NOT_ON_ZALO();
    }
    // Zalo does not deduplicate on tracking_id: a repeat is a second message,
    // which the citizen receives twice. It is counted so that tests can
    // assert that motcua never repeats one.
    const repeated = state.trackingIds.has(trackingId);
    if (repeated) state.duplicates++;
    const now = new Date();
    const record = { phone, template_id: templateId, template_data: data, tracking_id: trackingId,
                     msg_id: crypto.randomBytes(16).toString('hex'), received_at: now.toISOString() };
    state.messages.push(record);
    state.trackingIds.add(trackingId);
    const remaining = Math.max(0, DAILY_QUOTA - state.messages.length);
    return [200, { error: 0, message: 'Success', data: {
      msg_id: record.msg_id, sent_time: String(now.getTime()), sending_mode: '1',
      quota: { dailyQuota: String(DAILY_QUOTA), remainingQuota: String(remaining) } } },
      `phone=${phone} template=${templateId} tracking_id=${trackingId} msg_id=${record.msg_id}`
        + (repeated ? ' (repeated tracking_id)' : '')];
  } catch (err) {
    if (err instanceof Refusal) return [err.status, err.body, err.message];
    throw err;
  }
}

// ---------------------------------------------------------------- HTTP

// Far larger than any valid send (a handful of parameters of 200 characters).
const MAX_BODY = 1024 * 1024;

async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    if ((size += chunk.length) > MAX_BODY) throw new Refusal(-400, 'body too large', 'body too large', 413);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function reply(res, status, body, headers = {}) {
  const isJson = typeof body !== 'string';
  const data = Buffer.from(isJson ? JSON.stringify(body) : body);
  res.writeHead(status, {
    'Content-Type': isJson ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8',
    'Content-Length': data.length,
    ...headers,
  });
  res.end(data);
}

// The body of a control call as a JSON object (an empty body is {}), or null.
async function readJsonObject(req) {
  const raw = await readBody(req);
  let value;
  try { value = JSON.parse(raw.toString('utf8') || '{}'); } catch { /* checked below */ }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : null;
}

const html = (status) => {
  const title = `${status} ${http.STATUS_CODES[status] ?? 'Error'}`;
  return `<html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>\n`;
};

async function sendCall(req, res) {
  const raw = await readBody(req);
  state.calls++;
  // These two faults come before every check: they stand for Zalo's front
  // end failing, whatever the request.
  if (faults.hangNext > 0) {
    faults.hangNext--;
    bump(state.faultsApplied, 'hang');
    persist();
    const socket = req.socket;
    hanging.add(socket);
    socket.setTimeout(0);
    socket.once('close', () => hanging.delete(socket));
    return log('send fault=hang -> no answer');
  }
  if (faults.failNext > 0) {
    faults.failNext--;
    bump(state.faultsApplied, 'fail');
    persist();
    const status = faults.status;
    reply(res, status, html(status), status === 503 || status === 429 ? { 'Retry-After': '1' } : {});
    return log(`send fault=fail -> HTTP ${status}`);
  }
  const [status, body, note] = send(req, raw);
  persist();  // durable before the client can see an answer
  reply(res, status, body);
  log(`send ${note} -> HTTP ${status} error=${body.error}`);
}

async function control(req, res, route) {
  switch (route) {
    case 'GET /_control/messages':
      return reply(res, 200, stateToJSON(state));
    case 'GET /_control/faults':
      return reply(res, 200, { faults: faultsToJSON(faults) });
    case 'POST /_control/faults': {
      const spec = await readJsonObject(req);
      if (spec === null) return reply(res, 400, { error: 'the body must be a JSON object' });
      const [parsed, error] = parseFaults(spec);
      if (error) return reply(res, 400, { error });
      faults = parsed;
      return reply(res, 200, { faults: faultsToJSON(faults) });
    }
    case 'POST /_control/reset':
      await readBody(req);
      state = emptyState();
      faults = noFaults();
      persist();
      return reply(res, 200, { reset: true });
    default:
      return reply(res, 404, { error: `no control route ${route}` });
  }
}

async function handle(req, res) {
  const { pathname } = new URL(req.url, 'http://stand-in');
  if (pathname.startsWith('/_control/')) {
    await control(req, res, `${req.method} ${pathname}`);
    return log(`control ${req.method} ${pathname} -> HTTP ${res.statusCode}`);
  }
  if (pathname !== '/message/template') {
    reply(res, 404, { error: -404, message: 'Not found' });
    return log(`${req.method} ${pathname} -> HTTP 404`);
  }
  if (req.method !== 'POST') {
    reply(res, 405, { error: -405, message: 'POST only' }, { Allow: 'POST' });
    return log(`${req.method} ${pathname} -> HTTP 405`);
  }
  await sendCall(req, res);
}

const server = http.createServer({ requestTimeout: 0 }, (req, res) => {
  handle(req, res).catch((err) => {
    const refusal = err instanceof Refusal ? err : new Refusal(-100, 'Unknown error', err.stack, 500);
    log(`${req.method} ${req.url} -> HTTP ${refusal.status}: ${refusal.message}`);
    if (!res.headersSent) reply(res, refusal.status, refusal.body);
    else res.destroy();
  });
});

server.on('error', (err) => fail(`cannot listen: ${err.message}`));
server.listen(opts.port, opts.host, () => {
  process.stdout.write(`listening on ${server.address().port}\n`);
});

function shutdown(signal) {
  log(`${signal}: shutting down`);
  for (const socket of hanging) socket.destroy();
  server.close(() => process.exit(0));
  server.closeAllConnections?.();  // Node >= 18.2
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));

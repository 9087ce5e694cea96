#!/usr/bin/env node
// Stand-in for an SMS brandname gateway (tin nhắn thương hiệu).
//
// Vietnamese SMS brandname providers each have their own API; this stand-in
// implements one generic, *assumed* contract that motcua's SMS client is
// written against (see tests/standins/README.md): POST /sms/send with a
// bearer token and {brandname, phone, message, ref}, answered by
// {code, message, ...}, "00" meaning accepted. The rules the providers share
// are enforced strictly: unaccented GSM-7 text (INTEGRATIONS.md §5), at most
// three segments, international mobile numbers without "+". It keeps what it
// was sent, deduplicates on `ref`, and injects faults when a test asks for
// them through the control API under /_control/.
//
// Node's built-in modules only; runs on Node 18 and later.
//
//   node server.mjs --port 0 [--host 127.0.0.1] [--token T] [--state FILE]

import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

// ---------------------------------------------------------------- options

function parseArgs(argv) {
  const opts = { port: '0', host: '127.0.0.1', token: 'sms-test-token', state: null };
  const flags = { '--port': 'port', '--host': 'host', '--token': 'token', '--state': 'state' };
  for (let i = 0; i < argv.length; i++) {
    let [flag, value] = argv[i].split(/=(.*)/s, 2);  // both "--port 0" and "--port=0"
    if (!(flag in flags)) fail(`unknown option ${flag}`);
    if (value === undefined && (value = argv[++i]) === undefined) fail(`${flag} needs a value`);
    opts[flags[flag]] = value;
  }
  opts.port = Number(opts.port);
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) fail('--port must be 0..65535');
  if (opts.token === '') fail('--token must not be empty');
  return opts;
}

function fail(message) {
  process.stderr.write(`sms stand-in: ${message}\n`);
  process.exit(2);
}

const opts = parseArgs(process.argv.slice(2));
const log = (line) => process.stderr.write(`${new Date().toISOString()} sms ${line}\n`);

// ---------------------------------------------------------------- state

function emptyState() {
  return {
    messages: [],               // accepted messages, in order of arrival
    byRef: new Map(),           // ref -> message, derived from `messages`
    duplicates: 0,              // sends whose ref was already accepted
    calls: 0,                   // POST /sms/send calls received, whatever their outcome
    faultsApplied: new Map(),   // "fail" | "hang" | "refuse" -> times applied
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
    for (const m of s.messages) s.byRef.set(m.ref, m);
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
const noFaults = () => ({ failNext: 0, status: 503, hangNext: 0, refusePhones: new Set() });
let faults = noFaults();

const faultsToJSON = (f) => ({ fail_next: f.failNext, status: f.status, hang_next: f.hangNext,
                               refuse_phones: [...f.refusePhones] });

// Parses a fault configuration; returns [faults, null] or [null, error].
function parseFaults(body) {
  const known = new Set(['fail_next', 'status', 'hang_next', 'refuse_phones']);
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
  const phones = body.refuse_phones ?? [];
  if (!Array.isArray(phones) || !phones.every((p) => typeof p === 'string')) {
    return [null, 'refuse_phones must be an array of strings'];
  }
  f.refusePhones = new Set(phones);
  return [f, null];
}

// ---------------------------------------------------------------- the contract

// An answer of the gateway: an HTTP status and a JSON body {code, message, ...}.
class Answer extends Error {
  constructor(status, code, message, extra = {}) {
    super(message);
    this.status = status;
    this.body = { code, message, ...extra };
  }
}
const badField = (message) => { throw new Answer(400, '10', message); };

const PHONE = /^84[35789]\d{8}$/;           // a Vietnamese mobile number, international form, no "+"
const GSM7_PLAIN = /^[\x20-\x7E\n]*$/;      // printable ASCII and line feed: no diacritics, no CR, no tab
const PRINTABLE = /^[\x20-\x7E]+$/;
const MAX_LENGTH = 459;                     // three concatenated segments of 153 characters
const FIELDS = new Set(['brandname', 'phone', 'message', 'ref']);

// One segment holds 160 GSM-7 characters; a concatenated message loses 7 of
// them per segment to the user data header, hence 153.
const segmentsOf = (text) => (text.length <= 160 ? 1 : Math.ceil(text.length / 153));

function checkAuthorization(header) {
  const m = /^Bearer (.+)$/i.exec(header ?? '');
  if (!m || m[1] !== opts.token) throw new Answer(401, '401', 'invalid or missing bearer token');
}

function parseBody(req, raw) {
  if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
    badField('Content-Type must be application/json');
  }
  let body;
  try { body = JSON.parse(raw.toString('utf8')); } catch { /* checked below */ }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) badField('body must be a JSON object');
  return body;
}

// Checks a send in the order of the README; throws an Answer on the first
// problem. Nothing is stored before every check has passed.
function validate(body) {
  const { brandname, phone, message, ref } = body;
  const unknown = Object.keys(body).find((k) => !FIELDS.has(k));
  if (unknown !== undefined) badField(`${unknown} is not a field of this API`);
  if (typeof brandname !== 'string' || brandname.length > 11 || !PRINTABLE.test(brandname)) {
    badField('brandname must be a string of 1 to 11 printable ASCII characters');
  }
  if (typeof phone !== 'string') badField('phone must be a string');
  if (typeof message !== 'string' || message === '') badField('message must be a non-empty string');
  if (typeof ref !== 'string' || ref.length < 1 || ref.length > 64) badField('ref must be a string of 1 to 64 characters');
  if (!PHONE.test(phone)) throw new Answer(400, '11', 'invalid phone number');
  if (!GSM7_PLAIN.test(message)) throw new Answer(422, '12', 'content must be unaccented');
  if (message.length > MAX_LENGTH) throw new Answer(422, '13', `content too long: at most ${MAX_LENGTH} characters`);
}

// A whole send past the faults. Returns [status, body, note for the log].
function send(req, raw) {
  try {
    checkAuthorization(req.headers.authorization);
    const body = parseBody(req, raw);
    validate(body);
    const { brandname, phone, message, ref } = body;
    if (faults.refusePhones.has(phone)) {
      bump(state.faultsApplied, 'refuse');
      return [400, { code: '11', message: 'invalid phone number' }, `phone=${phone} ref=${ref} fault=refuse`];
    }
    const held = state.byRef.get(ref);
    if (held) {  // idempotent on ref: same answer, nothing sent again
      state.duplicates++;
      return [200, { code: '00', message: 'OK', sms_id: held.sms_id, segments: segmentsOf(held.message) },
              `phone=${phone} ref=${ref} duplicate of ${held.sms_id}`];
    }
    const record = { phone, message, brandname, ref, sms_id: crypto.randomUUID(),
                     received_at: new Date().toISOString() };
    state.messages.push(record);
    state.byRef.set(ref, record);
    return [200, { code: '00', message: 'OK', sms_id: record.sms_id, segments: segmentsOf(message) },
            `phone=${phone} ref=${ref} sms_id=${record.sms_id}`];
  } catch (err) {
    if (err instanceof Answer) return [err.status, err.body, err.message];
    throw err;
  }
}

// ---------------------------------------------------------------- HTTP

// Larger than any valid send (459 characters and a few short fields).
const MAX_BODY = 1024 * 1024;

async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    if ((size += chunk.length) > MAX_BODY) throw new Answer(413, '10', 'body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function reply(res, status, body, headers = {}) {
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': data.length,
                          ...headers });
  res.end(data);
}

// The body of a control call as a JSON object (an empty body is {}), or null.
async function readJsonObject(req) {
  const raw = await readBody(req);
  let value;
  try { value = JSON.parse(raw.toString('utf8') || '{}'); } catch { /* checked below */ }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : null;
}

async function sendCall(req, res) {
  const raw = await readBody(req);
  state.calls++;
  // Faults come before every check: they stand for the gateway (or what is
  // in front of it) failing, whatever the request.
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
    const retry = status === 503 || status === 429 ? { 'Retry-After': '1' } : {};
    reply(res, status, { code: String(status), message: http.STATUS_CODES[status] ?? 'error' }, retry);
    return log(`send fault=fail -> HTTP ${status}`);
  }
  const [status, body, note] = send(req, raw);
  persist();  // durable before the client can see an answer
  reply(res, status, body);
  log(`send ${note} -> HTTP ${status} ${body.code}`);
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
  if (pathname !== '/sms/send') {
    reply(res, 404, { code: '404', message: 'not found' });
    return log(`${req.method} ${pathname} -> HTTP 404`);
  }
  if (req.method !== 'POST') {
    reply(res, 405, { code: '405', message: 'POST only' }, { Allow: 'POST' });
    return log(`${req.method} ${pathname} -> HTTP 405`);
  }
  await sendCall(req, res);
}

const server = http.createServer({ requestTimeout: 0 }, (req, res) => {
  handle(req, res).catch((err) => {
    const answer = err instanceof Answer ? err : new Answer(500, '99', err.message);
    log(`${req.method} ${req.url} -> HTTP ${answer.status}: ${err instanceof Answer ? err.message : err.stack}`);
    if (!res.headersSent) reply(res, answer.status, answer.body);
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

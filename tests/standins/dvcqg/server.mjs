#!/usr/bin/env node
// Stand-in for the sync adapter of the national public-service portal
// (Cổng Dịch vụ công quốc gia, DVCQG).
//
// It follows the contract that two vendors' code shows (see
// tests/standins/README.md and /work/shared/INTEGRATIONS.md §1): a login at
// POST /auth, and every call at POST /integration as
// {session, madonvi, service, ...params} answered by HTTP 200
// {error_code, message, result}. It keeps what it was sent, so tests can
// read it back, and injects faults when a test asks for them through the
// control API under /_control/.
//
// Node's built-in modules only; runs on Node 18 and later.
//
//   node server.mjs --port 0 [--host 127.0.0.1] [--state FILE]
//                   [--username U --password P] [--madonvi CODE] [--session-ttl S]

import crypto from 'node:crypto';
import http from 'node:http';
import https from 'node:https';

import {
  HttpAnswer, bump, holdOpen, htmlPage, isObject, loadStateFile, parseArgs, parseObject, readBody, reply,
  saveStateFile, serve, standIn,
} from '../lib.mjs';

// ---------------------------------------------------------------- options

const { fail, log } = standIn('dvcqg');
const opts = parseArgs(process.argv.slice(2),
  { state: null, username: 'motcua', password: 'motcua-test', madonvi: null, sessionTtl: '600' },
  { '--state': 'state', '--username': 'username', '--password': 'password', '--madonvi': 'madonvi',
    '--session-ttl': 'sessionTtl' }, fail);
opts.sessionTtl = Number(opts.sessionTtl);
if (!(opts.sessionTtl > 0)) fail('--session-ttl must be a positive number of seconds');

// ---------------------------------------------------------------- state

// Everything the portal remembers. Maps are keyed by strings that come from
// the client, so that no key (even "__proto__") can collide with Object's.
function emptyState() {
  return {
    dossiers: new Map(),         // MaHoSo -> {record, history, statuses, creates, updates}
    calls: new Map(),            // "auth" or a service name -> calls received
    duplicateHistoryRows: 0,     // history rows re-sent and not appended again
    faultsApplied: new Map(),    // fault mode -> times applied
    idempotencyKeys: new Map(),  // Idempotency-Key header value -> calls that carried it
    refusedDuplicateCreates: 0,  // creates refused with "đã tồn tại"
  };
}

// The shape of GET /_control/state, which is also the shape of the --state file.
function stateToJSON(s) {
  return {
    dossiers: Object.fromEntries(s.dossiers),
    calls: Object.fromEntries(s.calls),
    duplicate_history_rows: s.duplicateHistoryRows,
    faults_applied: Object.fromEntries(s.faultsApplied),
    idempotency_keys_seen: s.idempotencyKeys.size,
    idempotency_keys: Object.fromEntries(s.idempotencyKeys),
    refused_duplicate_creates: s.refusedDuplicateCreates,
  };
}

function loadState() {
  return loadStateFile(opts.state, (j) => {
    const map = (obj) => new Map(Object.entries(obj ?? {}));
    return { ...emptyState(), dossiers: map(j.dossiers), calls: map(j.calls), faultsApplied: map(j.faults_applied),
             idempotencyKeys: map(j.idempotency_keys), duplicateHistoryRows: j.duplicate_history_rows ?? 0,
             refusedDuplicateCreates: j.refused_duplicate_creates ?? 0 };
  }, fail) ?? emptyState();
}

// Writes the state to --state (atomically), so that a SIGKILL at any moment
// leaves either the old or the new file.
const persist = () => saveStateFile(opts.state, () => stateToJSON(state));

let state = loadState();
const sessions = new Map();  // session token -> expiry (ms since epoch); never persisted
let faults = [];             // queued faults, oldest first: {mode, remaining, ms, service, auth}

// ---------------------------------------------------------------- validation

// A refusal the portal answers with HTTP 200 and its own error code.
class Refusal extends Error {
  constructor(code, message) {
    super(message);
    this.answer = { error_code: code, message };
  }
}
const invalid = (name, why) => { throw new Refusal('-2', `Trường ${name} không hợp lệ: ${why}`); };

const DATE14 = /^\d{14}$/;          // yyyyMMddHHmmss
const STATUS = /^(?:[1-9]|10)$/;    // TrangThaiHoSo 1..10
const DATE_WHY = 'phải có dạng yyyyMMddHHmmss (14 chữ số)';
const isText = (v) => typeof v === 'string' && v.trim() !== '';

function requireText(obj, name) {
  if (!isText(obj[name])) invalid(name, 'không được để trống');
}
function requireString(obj, name) {
  if (typeof obj[name] !== 'string') invalid(name, 'phải là chuỗi');
}
function requireDate(obj, name, { optional = false } = {}) {
  const v = obj[name];
  if (optional && (v === undefined || v === '')) return;
  if (typeof v !== 'string' || !DATE14.test(v)) invalid(name, DATE_WHY);
}

// Every field whose name starts with "Ngay", at any depth, must be a
// 14-digit date or the empty string.
function checkDateFields(value) {
  if (Array.isArray(value)) return value.forEach(checkDateFields);
  if (!isObject(value)) return;
  for (const [name, v] of Object.entries(value)) {
    if (name.startsWith('Ngay') && !(v === '' || (typeof v === 'string' && DATE14.test(v)))) {
      invalid(name, `${DATE_WHY} hoặc để trống`);
    }
    checkDateFields(v);
  }
}

function validateHoSo(h) {
  if (!isObject(h)) invalid('data', 'mỗi phần tử phải là một hồ sơ');
  requireText(h, 'MaHoSo');
  requireText(h, 'MaTTHC');
  const st = h.TrangThaiHoSo;
  if (!((typeof st === 'string' && STATUS.test(st)) || (Number.isInteger(st) && st >= 1 && st <= 10))) {
    invalid('TrangThaiHoSo', 'phải từ 1 đến 10');
  }
  checkDateFields(h);
  if (!DATE14.test(h.NgayTiepNhan ?? '') && !DATE14.test(h.NgayNopHoSo ?? '')) {
    invalid('NgayTiepNhan', `cần NgayTiepNhan hoặc NgayNopHoSo, ${DATE_WHY}`);
  }
  if (!['1', '2', '3'].includes(h.KenhThucHien)) invalid('KenhThucHien', 'phải là "1", "2" hoặc "3"');
  requireText(h, 'ChuHoSo');
}

function validateHistoryRow(r) {
  if (!isObject(r)) invalid('data', 'mỗi phần tử phải là một bước xử lý');
  requireText(r, 'MaHoSo');
  requireText(r, 'NguoiXuLy');
  requireString(r, 'ChucDanh');
  requireDate(r, 'ThoiDiemXuLy');
  requireString(r, 'PhongBanXuLy');
  requireText(r, 'NoiDungXuLy');
  if (typeof r.TrangThai !== 'string' || !STATUS.test(r.TrangThai)) invalid('TrangThai', 'phải từ "1" đến "10"');
  requireDate(r, 'NgayBatDau');
  requireDate(r, 'NgayKetThucTheoQuyDinh', { optional: true });
}

// Two history rows are the same step when these fields agree.
const STEP_KEY = ['ThoiDiemXuLy', 'TrangThai', 'NoiDungXuLy', 'PhongBanXuLy'];
const sameStep = (a, b) => STEP_KEY.every((k) => a[k] === b[k]);

// ---------------------------------------------------------------- services

const ok = (result) => ({ error_code: '0', message: 'Thành công', result });

// Every check runs before anything is stored, so that a refused call leaves
// no trace but the counters.
const SERVICES = new Map([
  ['DongBoHoSoMC', (body) => {
    const updating = body.isUpdating;
    if (updating !== 'True' && updating !== 'False') invalid('isUpdating', 'phải là "True" hoặc "False"');
    const list = body.data;
    if (!Array.isArray(list) || list.length < 1 || list.length > 50) invalid('data', 'phải có từ 1 đến 50 hồ sơ');
    list.forEach(validateHoSo);
    if (updating === 'False') {  // a create: no MaHoSo may exist already, nor appear twice in the call
      const seen = new Set();
      for (const { MaHoSo } of list) {
        if (state.dossiers.has(MaHoSo) || seen.has(MaHoSo)) {
          state.refusedDuplicateCreates++;
          throw new Refusal('-1', `Hồ sơ ${MaHoSo} đã tồn tại`);
        }
        seen.add(MaHoSo);
      }
    }
    for (const h of list) {  // an update of an unknown MaHoSo creates it (upsert)
      let d = state.dossiers.get(h.MaHoSo);
      if (d) {
        d.updates++;
      } else {
        d = { record: null, history: [], statuses: [], creates: 1, updates: 0 };
        state.dossiers.set(h.MaHoSo, d);
      }
      d.record = h;
      d.statuses.push(String(h.TrangThaiHoSo));
    }
    return ok(list.map(({ MaHoSo }) => ({ MaHoSo })));
  }],

  ['CapNhatTienDoHoSoMC', (body) => {
    const rows = body.data;
    if (!Array.isArray(rows) || rows.length < 1 || rows.length > 10) invalid('data', 'phải có từ 1 đến 10 dòng');
    rows.forEach(validateHistoryRow);
    for (const { MaHoSo } of rows) {
      if (!state.dossiers.has(MaHoSo)) throw new Refusal('-3', `Không tìm thấy hồ sơ ${MaHoSo}`);
    }
    for (const row of rows) {  // a re-sent step is counted, not appended again
      const { history } = state.dossiers.get(row.MaHoSo);
      if (history.some((held) => sameStep(held, row))) state.duplicateHistoryRows++;
      else history.push(row);
    }
    return ok(rows.map(({ MaHoSo }) => ({ MaHoSo })));
  }],

  ['TraCuuHoSo', (body) => {
    if (!isText(body.mahoso)) invalid('mahoso', 'không được để trống');
    const d = state.dossiers.get(body.mahoso);
    return ok(d ? [d.record] : []);
  }],
]);

function login(body) {
  if (body.username !== opts.username || body.password !== opts.password) {
    return { error_code: '-1', message: 'Sai tên đăng nhập hoặc mật khẩu' };
  }
  const now = Date.now();
  for (const [token, expiry] of sessions) if (expiry <= now) sessions.delete(token);
  const session = crypto.randomBytes(24).toString('base64url');
  sessions.set(session, now + opts.sessionTtl * 1000);
  return { error_code: '0', session };
}

function integrate(body) {
  const expiry = typeof body.session === 'string' ? sessions.get(body.session) : undefined;
  if (!(expiry > Date.now())) {
    if (expiry !== undefined) sessions.delete(body.session);
    return { error_code: '-401', message: 'Phiên đăng nhập không hợp lệ hoặc đã hết hạn' };
  }
  if (opts.madonvi !== null && body.madonvi !== opts.madonvi) {
    return { error_code: '-1', message: 'Mã đơn vị không đúng' };
  }
  const service = SERVICES.get(body.service);
  if (!service) return { error_code: '-404', message: `Không có dịch vụ ${body.service}` };
  try {
    return service(body);
  } catch (err) {
    if (err instanceof Refusal) return err.answer;
    throw err;
  }
}

// ---------------------------------------------------------------- faults

const MODES = new Set(['timeout', 'error500', 'error503', 'slow', 'lose_ack', 'duplicate_ack', 'refuse']);
const REFUSAL = { error_code: '-2', message: 'Trường MaTTHC không hợp lệ: thủ tục không có trong CSDL quốc gia' };

// Takes the oldest queued fault that applies to this call, if any. A fault
// with a service applies to that service's calls only; /auth calls take only
// faults queued with "auth": true and no service.
function takeFault(endpoint, service) {
  const i = faults.findIndex((f) => (endpoint === 'auth' ? f.auth && !f.service : !f.service || f.service === service));
  if (i < 0) return null;
  const fault = faults[i];
  if (fault.remaining > 0 && --fault.remaining === 0) faults.splice(i, 1);  // -1: until cleared
  bump(state.faultsApplied, fault.mode);
  return fault;
}

function queueFault(body) {
  const { mode, count = 1, ms = 1000, service = null, auth = false } = body;
  if (!MODES.has(mode)) return `mode must be one of ${[...MODES].join(', ')}`;
  if (!Number.isInteger(count) || (count < 1 && count !== -1)) return 'count must be a positive integer or -1';
  if (typeof ms !== 'number' || !(ms >= 0)) return 'ms must be a number of milliseconds';
  if (service !== null && typeof service !== 'string') return 'service must be a string';
  if (typeof auth !== 'boolean') return 'auth must be true or false';
  faults.push({ mode, remaining: count, ms, service, auth });
  return null;
}

// ---------------------------------------------------------------- HTTP

const MAX_BODY = 16 * 1024 * 1024;

// The body as a JSON object, else an HttpAnswer with status 400 (413 when too large).
async function readJson(req) {
  const tooLarge = () => new HttpAnswer(413, { error: 'body too large' }, 'body too large');
  const value = parseObject((await readBody(req, MAX_BODY, tooLarge)).toString('utf8'));
  if (value === null) {
    throw new HttpAnswer(400, { error: 'the body must be a JSON object' }, 'the body must be a JSON object');
  }
  return value;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// One call of /auth or /integration, with the fault it draws.
async function portalCall(req, res, endpoint, body) {
  const service = endpoint === 'auth' ? 'auth' : String(body.service ?? '');
  bump(state.calls, service);
  const key = req.headers['idempotency-key'];
  if (key) bump(state.idempotencyKeys, key);
  const fault = takeFault(endpoint, service);
  const mode = fault?.mode;
  const note = (what) => log(`${endpoint} ${service}${key ? ` key=${key}` : ''}${mode ? ` fault=${mode}` : ''} -> ${what}`);

  if (mode === 'timeout' || mode === 'error500' || mode === 'error503' || mode === 'refuse') {
    persist();  // the call is not applied; only the counters moved
    if (mode === 'timeout') {  // accept and never answer; the client gives up first
      holdOpen(req);
      return note('no answer');
    }
    if (mode === 'error500') reply(res, 500, htmlPage(500));
    if (mode === 'error503') reply(res, 503, htmlPage(503), { 'Retry-After': '1' });
    if (mode === 'refuse') reply(res, 200, REFUSAL);
    return note(mode === 'refuse' ? REFUSAL.error_code : `HTTP ${res.statusCode}`);
  }
  if (mode === 'slow') await sleep(fault.ms);

  const apply = () => (endpoint === 'auth' ? login(body) : integrate(body));
  const answer = apply();
  // duplicate_ack: the portal sees the call a second time, as if a proxy had
  // replayed it. Its answer is dropped; a replayed create is refused by the
  // "đã tồn tại" rule and counted in refused_duplicate_creates.
  if (mode === 'duplicate_ack') apply();
  persist();  // durable before the client can see an answer
  if (mode === 'lose_ack') {  // applied, but the client sees a dropped connection
    req.socket.destroy();
    return note(`${answer.error_code}, connection dropped`);
  }
  reply(res, 200, answer);
  note(answer.error_code);
}

// The portal pushing a dossier filed on DVCQG to the province, `times` times.
function pushOnce(url, token, body) {
  return new Promise((resolve) => {
    const data = Buffer.from(JSON.stringify(body));
    const headers = { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': data.length };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body.MaHoSo !== undefined) headers['Idempotency-Key'] = String(body.MaHoSo);
    const lib = url.protocol === 'https:' ? https : http;
    const req = lib.request(url, { method: 'POST', headers, timeout: 30000 }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed = text;
        try { parsed = JSON.parse(text); } catch { /* keep the text */ }
        resolve({ status: res.statusCode, body: parsed });
      });
      res.on('error', (err) => resolve({ status: 0, error: err.message }));
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 30 s')));
    req.on('error', (err) => resolve({ status: 0, error: err.message }));
    req.end(data);
  });
}

async function control(req, res, route) {
  switch (route) {
    case 'GET /_control/state':
      return reply(res, 200, stateToJSON(state));
    case 'GET /_control/faults':
      return reply(res, 200, { faults });
    case 'POST /_control/faults': {
      const error = queueFault(await readJson(req));
      return error ? reply(res, 400, { error }) : reply(res, 200, { faults });
    }
    case 'DELETE /_control/faults':
      faults = [];
      return reply(res, 200, { faults });
    case 'POST /_control/reset':
      state = emptyState();
      faults = [];
      sessions.clear();
      persist();
      return reply(res, 200, { reset: true });
    case 'POST /_control/push': {
      const { url, token = null, body, times = 1 } = await readJson(req);
      let target = null;
      try { target = new URL(url); } catch { /* checked below */ }
      if (!target || !/^https?:$/.test(target.protocol)) return reply(res, 400, { error: 'url must be an http(s) URL' });
      if (!isObject(body)) return reply(res, 400, { error: 'body must be a JSON object' });
      if (!Number.isInteger(times) || times < 1) return reply(res, 400, { error: 'times must be a positive integer' });
      const answers = [];
      for (let i = 0; i < times; i++) answers.push(await pushOnce(target, token, body));
      return reply(res, 200, { answers });
    }
    default:
      return reply(res, 404, { error: `no control route ${route}` });
  }
}

async function handle(req, res, pathname) {
  if (pathname !== '/auth' && pathname !== '/integration') return reply(res, 404, { error: 'not found' });
  if (req.method !== 'POST') return reply(res, 405, { error: 'POST only' }, { Allow: 'POST' });
  let body;
  try {
    body = await readJson(req);
  } catch (err) {
    log(`${pathname.slice(1)} -> HTTP ${err.status ?? 400} (${err.message})`);
    return reply(res, err.status ?? 400, { error_code: '-400', message: 'Dữ liệu JSON không hợp lệ' });
  }
  await portalCall(req, res, pathname.slice(1), body);
}

serve({
  opts, fail, log, control, handle,
  internalError: (err) => new HttpAnswer(500, { error: err.message }, err.stack),
});

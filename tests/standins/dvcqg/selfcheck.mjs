#!/usr/bin/env node
// Self-check of the DVCQG stand-in: starts server.mjs on a free port, walks
// through the contract (login, create, duplicate create, update, history,
// look-up), every fault, the control API, a SIGKILL restart with --state
// kept, and a clean SIGTERM. Prints one line per failed check and exits 1 if
// there was any, 0 otherwise. Node's built-in modules only.
//
//   node tests/standins/dvcqg/selfcheck.mjs

import http from 'node:http';

import { expect, expectCleanSigterm, expectTrue, kill, request, run, setUp, sleep } from '../selfcheck_lib.mjs';

// start(args) starts server.mjs with `args`; resolves once it printed its port.
const { start, stateFile } = setUp('dvcqg', import.meta.url);

// Binds a port to the portal calls of one server.
function portal(proc) {
  const p = {
    session: null,
    auth: (username, password, opts) => request(proc.port, 'POST', '/auth', { body: { username, password }, ...opts }),
    async login() {
      const r = await p.auth('motcua', 'motcua-test');
      p.session = r.json?.session;
      return r;
    },
    call: (service, params = {}, opts = {}) => request(proc.port, 'POST', '/integration', {
      body: { session: p.session, madonvi: opts.madonvi ?? 'H56', service, ...params }, ...opts }),
    state: async () => (await request(proc.port, 'GET', '/_control/state')).json,
    fault: async (spec) => (await request(proc.port, 'POST', '/_control/faults', { body: spec })).status,
    clearFaults: () => request(proc.port, 'DELETE', '/_control/faults'),
  };
  return p;
}

// ---------------------------------------------------------------- test data

const hoSo = (MaHoSo, extra = {}) => ({
  MaHoSo, MaTTHC: '1.011442.000.00.00.H56', TenTTHC: 'Cấp bản sao trích lục hộ tịch', KenhThucHien: '2',
  ChuHoSo: 'Nguyễn Văn An', NgayTiepNhan: '20260105083000', NgayHenTra: '20260112170000', NgayTra: '',
  TrangThaiHoSo: '2', DanhSachHoSoBoSung: [{ NgayBoSung: '20260106090000' }], ...extra,
});
const step = (MaHoSo, extra = {}) => ({
  MaHoSo, NguoiXuLy: 'Trần Thị Bình', ChucDanh: 'Chuyên viên', ThoiDiemXuLy: '20260105083000',
  PhongBanXuLy: 'Bộ phận một cửa', NoiDungXuLy: 'Tiếp nhận hồ sơ', TrangThai: '2',
  NgayBatDau: '20260105083000', NgayKetThucTheoQuyDinh: '', ...extra,
});
const create = (p, list, opts) => p.call('DongBoHoSoMC', { isUpdating: 'False', data: list }, opts);
const update = (p, list, opts) => p.call('DongBoHoSoMC', { isUpdating: 'True', data: list }, opts);
const history = (p, rows, opts) => p.call('CapNhatTienDoHoSoMC', { data: rows }, opts);
const fieldError = (name) => new RegExp(`^Trường ${name} không hợp lệ: `);

// ---------------------------------------------------------------- the walk

async function contract(srv, p) {
  expect('stdout is one line', srv.stdout, `listening on ${srv.port}\n`);

  let r = await p.auth('motcua', 'wrong');
  expect('wrong password', [r.status, r.json], [200, { error_code: '-1', message: 'Sai tên đăng nhập hoặc mật khẩu' }]);
  r = await p.login();
  expect('login', [r.status, r.json?.error_code, typeof r.json?.session], [200, '0', 'string']);

  r = await p.call('TraCuuHoSo', { mahoso: 'X', session: 'nope' });
  expect('bad session', r.json, { error_code: '-401', message: 'Phiên đăng nhập không hợp lệ hoặc đã hết hạn' });
  r = await request(srv.port, 'POST', '/integration', { raw: '{"session": ' });
  expect('malformed JSON', r.status, 400);
  r = await p.call('KhongCo');
  expect('unknown service', r.json?.error_code, '-404');

  r = await create(p, [hoSo('H56.01-260105-0001')], { headers: { 'Idempotency-Key': 'k1' } });
  expect('create', r.json, { error_code: '0', message: 'Thành công', result: [{ MaHoSo: 'H56.01-260105-0001' }] });
  r = await create(p, [hoSo('H56.01-260105-0001')], { headers: { 'Idempotency-Key': 'k1' } });
  expect('duplicate create', r.json, { error_code: '-1', message: 'Hồ sơ H56.01-260105-0001 đã tồn tại' });
  r = await create(p, [hoSo('D2'), hoSo('D2')]);
  expect('same MaHoSo twice in a create', r.json?.error_code, '-1');

  // Field errors: nothing of the call is stored, not even its valid dossiers.
  const bad = [
    ['MaHoSo', { MaHoSo: '' }], ['MaTTHC', { MaTTHC: undefined }], ['TrangThaiHoSo', { TrangThaiHoSo: '11' }],
    ['KenhThucHien', { KenhThucHien: 2 }], ['ChuHoSo', { ChuHoSo: ' ' }], ['NgayHenTra', { NgayHenTra: '2026-01-12' }],
    ['NgayTiepNhan', { NgayTiepNhan: '' }], ['NgayBoSung', { DanhSachHoSoBoSung: [{ NgayBoSung: '202601' }] }],
  ];
  for (const [name, change] of bad) {
    r = await create(p, [hoSo('D2'), hoSo('D3', change)]);
    expect(`field error ${name}: code`, r.json?.error_code, '-2');
    expectTrue(`field error ${name}: message`, fieldError(name).test(r.json?.message ?? ''), r.json?.message);
  }
  expect('field errors: nothing stored', Object.keys((await p.state()).dossiers), ['H56.01-260105-0001']);
  r = await create(p, [hoSo('D2', { NgayTiepNhan: undefined, NgayNopHoSo: '20260105080000', TrangThaiHoSo: 1 })]);
  expect('NgayNopHoSo instead of NgayTiepNhan, numeric status', r.json?.error_code, '0');
  r = await create(p, Array.from({ length: 51 }, (_, i) => hoSo(`M${i}`)));
  expect('51 dossiers', r.json?.message, 'Trường data không hợp lệ: phải có từ 1 đến 50 hồ sơ');
  r = await p.call('DongBoHoSoMC', { isUpdating: 'yes', data: [hoSo('D9')] });
  expectTrue('isUpdating yes', fieldError('isUpdating').test(r.json?.message ?? ''), r.json?.message);

  r = await update(p, [hoSo('H56.01-260105-0001', { TrangThaiHoSo: 4, TrichYeuHoSo: 'Đã chuyển phòng' })]);
  expect('update', r.json?.error_code, '0');
  r = await update(p, [hoSo('D4')]);
  expect('update of an unknown dossier', r.json?.error_code, '0');

  r = await history(p, [step('H56.01-260105-0001'),
    step('H56.01-260105-0001', { ThoiDiemXuLy: '20260105100000', NoiDungXuLy: 'Chuyển phòng chuyên môn', TrangThai: '4' })]);
  expect('history', r.json?.error_code, '0');
  r = await history(p, [step('H56.01-260105-0001', { NguoiXuLy: 'Người khác' }), step('H56.01-260105-0001')]);
  expect('history re-sent', r.json?.error_code, '0');
  r = await history(p, Array.from({ length: 11 }, (_, i) => step('D4', { ThoiDiemXuLy: `2026010510${String(i).padStart(2, '0')}00` })));
  expect('11 history rows', r.json?.error_code, '-2');
  r = await history(p, [step('D4'), step('KhongCo')]);
  expect('history of an unknown dossier', r.json, { error_code: '-3', message: 'Không tìm thấy hồ sơ KhongCo' });
  r = await history(p, [step('D4', { ThoiDiemXuLy: '2026' })]);
  expectTrue('history bad date', fieldError('ThoiDiemXuLy').test(r.json?.message ?? ''), r.json?.message);
  r = await history(p, [step('D4', { TrangThai: '0' })]);
  expectTrue('history bad status', fieldError('TrangThai').test(r.json?.message ?? ''), r.json?.message);

  r = await p.call('TraCuuHoSo', { mahoso: 'H56.01-260105-0001' });
  expect('look-up', [r.json?.error_code, r.json?.result?.[0]?.TrichYeuHoSo], ['0', 'Đã chuyển phòng']);
  r = await p.call('TraCuuHoSo', { mahoso: 'KhongCo' });
  expect('look-up of an unknown dossier', r.json?.result, []);

  const s = await p.state();
  const d1 = s.dossiers['H56.01-260105-0001'];
  expect('dossier counters', [d1.creates, d1.updates, d1.statuses], [1, 1, ['2', '4']]);
  expect('record as sent', d1.record.TrangThaiHoSo, 4);
  expect('history held', d1.history.map((h) => h.TrangThai), ['2', '4']);
  expect('upsert counted as a create', [s.dossiers.D4.creates, s.dossiers.D4.updates, s.dossiers.D4.history], [1, 0, []]);
  expect('dossiers stored', Object.keys(s.dossiers).sort(), ['D2', 'D4', 'H56.01-260105-0001']);
  expect('global counters', [s.duplicate_history_rows, s.refused_duplicate_creates, s.idempotency_keys_seen], [2, 2, 1]);
  expect('calls', [s.calls.auth, s.calls.TraCuuHoSo, s.calls.CapNhatTienDoHoSoMC], [2, 3, 6]);
}

async function faults(srv, p) {
  const has = async (ma) => ma in (await p.state()).dossiers;
  let r;

  expect('unknown fault mode', await p.fault({ mode: 'explode' }), 400);

  await p.fault({ mode: 'timeout' });
  r = await create(p, [hoSo('T1')], { timeout: 300 });
  expect('timeout: client gives up', r.error, 'CLIENT_TIMEOUT');
  expect('timeout: not applied', await has('T1'), false);
  r = await create(p, [hoSo('T1')]);
  expect('timeout: one call only', r.json?.error_code, '0');

  await p.fault({ mode: 'error500' });
  r = await create(p, [hoSo('T2')]);
  expect('error500', [r.status, /^text\/html/.test(r.headers?.['content-type'])], [500, true]);
  expect('error500: not applied', await has('T2'), false);

  await p.fault({ mode: 'error503' });
  r = await create(p, [hoSo('T2')]);
  expect('error503', [r.status, r.headers?.['retry-after']], [503, '1']);
  expect('error503: not applied', await has('T2'), false);

  await p.fault({ mode: 'slow', ms: 300 });
  const t0 = Date.now();
  r = await create(p, [hoSo('T2')]);
  expectTrue('slow: waited', Date.now() - t0 >= 290, `${Date.now() - t0} ms`);
  expect('slow: applied', [r.json?.error_code, await has('T2')], ['0', true]);

  await p.fault({ mode: 'lose_ack' });
  r = await create(p, [hoSo('T3')]);
  expectTrue('lose_ack: connection dropped', r.error, JSON.stringify(r));
  expect('lose_ack: applied', await has('T3'), true);

  let before = (await p.state()).refused_duplicate_creates;
  await p.fault({ mode: 'duplicate_ack' });
  r = await create(p, [hoSo('T4')]);
  let s = await p.state();
  expect('duplicate_ack create: answered', r.json?.error_code, '0');
  expect('duplicate_ack create: replay refused', [s.dossiers.T4.creates, s.refused_duplicate_creates - before], [1, 1]);
  before = s.duplicate_history_rows;
  await p.fault({ mode: 'duplicate_ack' });
  r = await history(p, [step('T4')]);
  s = await p.state();
  expect('duplicate_ack history', [r.json?.error_code, s.dossiers.T4.history.length, s.duplicate_history_rows - before], ['0', 1, 1]);

  await p.fault({ mode: 'refuse' });
  r = await create(p, [hoSo('T5')]);
  expect('refuse', [r.status, r.json], [200, { error_code: '-2', message: 'Trường MaTTHC không hợp lệ: thủ tục không có trong CSDL quốc gia' }]);
  expect('refuse: not applied', await has('T5'), false);

  await p.fault({ mode: 'error500', count: 2 });
  const statuses = [];
  for (let i = 0; i < 3; i++) statuses.push((await p.call('TraCuuHoSo', { mahoso: 'T1' })).status);
  expect('count 2', statuses, [500, 500, 200]);

  await p.fault({ mode: 'error503', count: -1 });
  statuses.length = 0;
  for (let i = 0; i < 3; i++) statuses.push((await p.call('TraCuuHoSo', { mahoso: 'T1' })).status);
  await p.clearFaults();
  statuses.push((await p.call('TraCuuHoSo', { mahoso: 'T1' })).status);
  expect('count -1 until cleared', statuses, [503, 503, 503, 200]);

  await p.fault({ mode: 'error500', service: 'CapNhatTienDoHoSoMC' });
  r = await update(p, [hoSo('T1')]);
  expect('service fault: other service untouched', r.status, 200);
  r = await history(p, [step('T1')]);
  expect('service fault: hits its service', r.status, 500);

  await p.fault({ mode: 'error503', auth: true });
  r = await p.auth('motcua', 'motcua-test');
  expect('auth fault', r.status, 503);
  await p.fault({ mode: 'error500' });
  r = await p.auth('motcua', 'motcua-test');
  expect('no auth flag: /auth untouched', r.json?.error_code, '0');
  r = await p.call('TraCuuHoSo', { mahoso: 'T1' });
  expect('no auth flag: next /integration call hit', r.status, 500);

  s = await p.state();
  expect('faults applied', s.faults_applied,
    { timeout: 1, error500: 5, error503: 5, slow: 1, lose_ack: 1, duplicate_ack: 2, refuse: 1 });
}

async function push(srv) {
  const seen = [];
  const receiver = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c) => { text += c; });
    req.on('end', () => {
      seen.push({ auth: req.headers.authorization, key: req.headers['idempotency-key'], body: JSON.parse(text) });
      const first = seen.length === 1;
      res.writeHead(first ? 201 : 200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ created: first }));
    });
  });
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${receiver.address().port}/api/v1/dvcqg/dossiers`;
  const body = { MaHoSo: 'G.01-260105-0001', MaTTHC: '1.011442.000.00.00.H56' };
  const r = await request(srv.port, 'POST', '/_control/push', { body: { url, token: 'tk', body, times: 2 } });
  receiver.close();
  expect('push answers', r.json, { answers: [{ status: 201, body: { created: true } }, { status: 200, body: { created: false } }] });
  expect('push as received', seen, Array(2).fill({ auth: 'Bearer tk', key: 'G.01-260105-0001', body }));
}

async function main() {
  let srv = await start(['--state', stateFile, '--madonvi', 'H56']);
  let p = portal(srv);
  await contract(srv, p);
  await faults(srv, p);
  await push(srv);

  // Restart: SIGKILL, then the same --state. Dossiers and counters stay, sessions do not.
  const before = await p.state();
  await kill(srv, 'SIGKILL');
  srv = await start(['--state', stateFile, '--madonvi', 'H56']);
  const oldSession = p.session;
  p = portal(srv);
  p.session = oldSession;
  expect('restart: state kept', await p.state(), before);
  let r = await p.call('TraCuuHoSo', { mahoso: 'T1' });
  expect('restart: sessions forgotten', r.json?.error_code, '-401');
  await p.login();
  r = await p.call('TraCuuHoSo', { mahoso: 'T1' });
  expect('restart: dossier found', r.json?.result?.[0]?.MaHoSo, 'T1');
  r = await p.call('TraCuuHoSo', { mahoso: 'T1' }, { madonvi: 'H99' });
  expect('wrong madonvi', r.json, { error_code: '-1', message: 'Mã đơn vị không đúng' });

  // Reset forgets everything, durably.
  await p.fault({ mode: 'error500', count: -1 });
  await request(srv.port, 'POST', '/_control/reset');
  r = await p.call('TraCuuHoSo', { mahoso: 'T1' });
  expect('reset: faults and sessions forgotten', [r.status, r.json?.error_code], [200, '-401']);
  await kill(srv, 'SIGKILL');
  srv = await start(['--state', stateFile]);
  p = portal(srv);
  const s = await p.state();
  expect('reset: kept across a restart', [s.dossiers, s.calls.auth, s.faults_applied], [{}, undefined, {}]);

  // Session expiry.
  await kill(srv, 'SIGKILL');
  srv = await start(['--session-ttl', '0.5']);
  p = portal(srv);
  await p.login();
  r = await p.call('TraCuuHoSo', { mahoso: 'X' });
  expect('session before expiry', r.json?.error_code, '0');
  await sleep(600);
  r = await p.call('TraCuuHoSo', { mahoso: 'X' });
  expect('session after expiry', r.json?.error_code, '-401');

  // SIGTERM exits cleanly, even with a call held open by the timeout fault.
  await p.login();
  await p.fault({ mode: 'timeout' });
  const held = p.call('TraCuuHoSo', { mahoso: 'X' }, { timeout: 10000 });
  await expectCleanSigterm(srv, held, 'call');
  expectTrue('stderr has one line per call', /integration TraCuuHoSo fault=timeout -> no answer/.test(srv.stderr));
}

await run(main);

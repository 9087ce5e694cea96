#!/usr/bin/env node
// Self-check of the Zalo ZNS stand-in: starts server.mjs on a free port, walks
// through the contract (access token, phone numbers, templates and their
// data, repeated tracking ids), every fault, the control API, a SIGKILL
// restart with --state kept, and a clean SIGTERM. Prints one line per failed
// check and exits 1 if there was any, 0 otherwise. Node's built-in modules
// only.
//
//   node tests/standins/zalo/selfcheck.mjs

import fs from 'node:fs';
import path from 'node:path';

import {
  expect, expectCleanSigterm, expectGatewayFaultRefusals, expectGatewayRoutes, expectTrue, gatewayControl, kill,
  request, run, setUp,
} from '../selfcheck_lib.mjs';

// start(args) starts server.mjs with `args`; resolves once it printed its port,
// or with {exitedEarly} when it exits first.
const { start, tmpDir, stateFile } = setUp('zalo', import.meta.url, { mayExit: true });
const templatesFile = path.join(tmpDir, 'templates.json');

// Binds a port to the ZNS calls of one server.
function zns(proc) {
  return {
    send: (fields, { token = 'zalo-test-token', headers = {}, ...opts } = {}) => request(proc.port, 'POST',
      '/message/template', { body: fields, ...opts, headers: { ...(token ? { access_token: token } : {}), ...headers } }),
    ...gatewayControl(proc),
  };
}

const TEMPLATES = {
  '312001': ['ten_nguoi_dan', 'ma_ho_so', 'trang_thai'],
  '312002': ['ma_ho_so', 'ngay_hen_tra'],
  '312003': [],
};
const msg = (trackingId, extra = {}) => ({
  phone: '84912345678', template_id: '312001', tracking_id: trackingId,
  template_data: { ten_nguoi_dan: 'Nguyễn Văn An', ma_ho_so: 'H56.01-260105-0001', trang_thai: 'Đã tiếp nhận' },
  ...extra,
});
const refusal = (r) => [r.status, r.json?.error, r.json?.message];

// ---------------------------------------------------------------- the walk

async function contract(srv, z) {
  expect('stdout is one line', srv.stdout, `listening on ${srv.port}\n`);

  let r = await z.send(msg('t1'), { token: 'wrong' });
  expect('wrong token', refusal(r), [200, -124, 'Access token invalid']);
  r = await z.send(msg('t1'), { token: null });
  expect('missing token', refusal(r), [200, -124, 'Access token invalid']);
  r = await z.send(msg('t1'), { token: null, headers: { Authorization: 'Bearer zalo-test-token' } });
  expect('token in Authorization instead of access_token', r.json?.error, -124);

  r = await request(srv.port, 'POST', '/message/template', { raw: '{"phone": ', headers: { access_token: 'zalo-test-token' } });
  expect('malformed JSON', [r.status, r.json?.error], [400, -400]);
  r = await z.send(msg('t1'), { headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  expect('not application/json', [r.status, r.json?.error], [400, -400]);

  for (const phone of ['0912345678', '+84912345678', '912345678', '84212345678', '849123456789', 84912345678, undefined]) {
    r = await z.send(msg('t1', { phone }));
    expect(`phone ${phone}`, refusal(r), [200, -108, 'Phone number invalid']);
  }

  for (const template_id of ['999999', 312001, '', undefined]) {
    r = await z.send(msg('t1', { template_id }));
    expect(`template_id ${JSON.stringify(template_id)}`, refusal(r), [200, -109, 'Template ID invalid']);
  }

  const full = msg('t1').template_data;
  for (const [what, template_data] of [['missing', undefined], ['null', null], ['{}', {}]]) {
    r = await z.send(msg('t1', { template_data }));
    expect(`template_data ${what}`, refusal(r), [200, -111, 'Template data empty']);
  }
  const invalid = [
    ['an array', [full]], ['a number value', { ...full, ma_ho_so: 1 }], ['an empty value', { ...full, trang_thai: '' }],
    ['201 characters', { ...full, trang_thai: 'x'.repeat(201) }], ['a missing parameter', { ...full, trang_thai: undefined }],
    ['an unknown parameter', { ...full, loi_nhan: 'x' }], ['an object value', { ...full, ma_ho_so: { a: '1' } }],
  ];
  for (const [what, template_data] of invalid) {
    r = await z.send(msg('t1', { template_data }));
    expect(`template_data with ${what}`, refusal(r), [200, -112, 'Template data invalid']);
  }
  r = await z.send(msg('t1', { template_data: { ...full, trang_thai: 'x'.repeat(200) } }));
  expect('200 characters', r.json?.error, 0);

  for (const tracking_id of [undefined, '', 17]) {
    r = await z.send(msg(tracking_id));
    expect(`tracking_id ${JSON.stringify(tracking_id)}`, [r.status, r.json?.error], [400, -400]);
  }
  expect('nothing stored by refusals', (await z.messages()).messages.length, 1);

  const t0 = Date.now();
  r = await z.send(msg('t2', { mode: 'ignored' }));
  expect('send', [r.status, r.json?.error, r.json?.message], [200, 0, 'Success']);
  const d = r.json?.data ?? {};
  expectTrue('msg_id', typeof d.msg_id === 'string' && /^[0-9a-f]{32}$/.test(d.msg_id), d.msg_id);
  expectTrue('sent_time: ms epoch as a string', /^\d{13}$/.test(d.sent_time) && Math.abs(Number(d.sent_time) - t0) < 5000, d.sent_time);
  expect('quota', d.quota, { dailyQuota: '500', remainingQuota: '498' });
  r = await z.send(msg('t3', { template_id: '312002', template_data: { ma_ho_so: 'H56.02', ngay_hen_tra: '12/01/2026' } }));
  expect('other template', r.json?.error, 0);
  r = await z.send(msg('t4', { template_id: '312003', template_data: {} }));
  expect('template without parameters', r.json?.error, 0);

  const firstT2 = (await z.messages()).messages.find((m) => m.tracking_id === 't2');
  r = await z.send(msg('t2'));
  expect('repeated tracking_id: sent again', r.json?.error, 0);
  expectTrue('repeated tracking_id: a new msg_id', r.json?.data?.msg_id !== firstT2.msg_id);

  const m = await z.messages();
  expect('messages stored', m.messages.map((x) => x.tracking_id), ['t1', 't2', 't3', 't4', 't2']);
  expect('duplicates', m.duplicates, 1);
  expect('record fields', Object.keys(firstT2).sort(),
    ['msg_id', 'phone', 'received_at', 'template_data', 'template_id', 'tracking_id']);
  expect('record as sent', [firstT2.phone, firstT2.template_id, firstT2.template_data],
    ['84912345678', '312001', msg('t2').template_data]);

  await expectGatewayRoutes(srv, '/message/template', '/message/template/dev');
}

async function faults(srv, z) {
  await expectGatewayFaultRefusals(srv);
  let r = await z.faults({ expire_token: 'yes' });
  expect('expire_token not a boolean', r.status, 400);
  r = await z.faults({ not_on_zalo: '84912345678' });
  expect('not_on_zalo not an array', r.status, 400);

  const count = async () => (await z.messages()).messages.length;
  const before = await count();
  r = await z.faults({ fail_next: 2 });
  expect('fail_next set', r.json?.faults, { fail_next: 2, status: 500, hang_next: 0, not_on_zalo: [], expire_token: false });
  const answers = [];
  for (let i = 0; i < 3; i++) answers.push(await z.send(msg(`f${i}`)));
  expect('fail_next 2: statuses', answers.map((a) => a.status), [500, 500, 200]);
  expectTrue('fail_next: an HTML page, not JSON', /^text\/html/.test(answers[0].headers?.['content-type']) && answers[0].json === undefined);
  expect('fail_next: nothing stored', await count(), before + 1);
  await z.faults({ fail_next: 1, status: 503 });
  r = await z.send(msg('f5'));
  expect('fail_next 503', [r.status, r.headers?.['retry-after']], [503, '1']);

  await z.faults({ hang_next: 1 });
  r = await z.send(msg('h1'), { timeout: 300 });
  expect('hang_next: client gives up', r.error, 'CLIENT_TIMEOUT');
  r = await z.send(msg('h1'));
  expect('hang_next: one call only', r.json?.error, 0);
  expect('hang_next: stored once', (await z.messages()).messages.filter((x) => x.tracking_id === 'h1').length, 1);

  await z.faults({ not_on_zalo: ['84987654321'] });
  r = await z.send(msg('n1', { phone: '84987654321' }));
  expect('not_on_zalo', refusal(r), [200, -118, 'Zalo account not existed']);
  r = await z.send(msg('n2'));
  expect('not_on_zalo: others pass', r.json?.error, 0);

  await z.faults({ expire_token: true });
  for (let i = 0; i < 2; i++) {
    r = await z.send(msg('e1'));
    expect(`expire_token: send ${i + 1}`, refusal(r), [200, -216, 'Access token has expired']);
  }
  r = await z.send(msg('e1'), { token: 'wrong' });
  expect('expire_token: a wrong token is still invalid', r.json?.error, -124);
  r = await request(srv.port, 'GET', '/_control/faults');
  expect('GET faults', r.json?.faults?.expire_token, true);

  await z.faults({});
  r = await z.send(msg('e1'));
  expect('{} clears faults', r.json?.error, 0);
  r = await z.send(msg('n3', { phone: '84987654321' }));
  expect('{} clears not_on_zalo', r.json?.error, 0);

  const m = await z.messages();
  expect('faults applied', m.faults_applied, { fail: 3, hang: 1, not_on_zalo: 1, expire_token: 2 });
  expect('calls counts every send', m.calls, 47);
}

async function main() {
  fs.writeFileSync(templatesFile, JSON.stringify(TEMPLATES));
  let srv = await start(['--state', stateFile, '--templates', templatesFile]);
  let z = zns(srv);
  await contract(srv, z);
  await faults(srv, z);

  // Restart: SIGKILL, then the same --state, and no --templates: any template goes.
  const before = await z.messages();
  await kill(srv, 'SIGKILL');
  srv = await start(['--state', stateFile, '--access-token', 'other-token']);
  z = zns(srv);
  expect('restart: state kept', await z.messages(), before);
  let r = await z.send(msg('t1', { template_id: '777', template_data: { anything: 'x' } }));
  expect('--access-token', r.json?.error, -124);
  r = await z.send(msg('t1', { template_id: '777', template_data: { anything: 'x' } }), { token: 'other-token' });
  expect('no --templates: any template', r.json?.error, 0);
  r = await z.send(msg('t9', { template_data: { a: 'x', b: 1 } }), { token: 'other-token' });
  expect('no --templates: values still checked', r.json?.error, -112);
  r = await z.send(msg('t9', { template_data: {} }), { token: 'other-token' });
  expect('no --templates: {} is empty', r.json?.error, -111);
  expect('restart: tracking ids remembered', (await z.messages()).duplicates, before.duplicates + 1);

  await z.faults({ fail_next: 5 });
  await z.reset();
  r = await z.send(msg('t1'), { token: 'other-token' });
  expect('reset: faults forgotten', r.json?.data?.quota?.remainingQuota, '499');
  const m = await z.messages();
  expect('reset: messages forgotten', [m.messages.length, m.duplicates, m.calls, m.faults_applied], [1, 0, 1, {}]);

  // SIGTERM exits cleanly, even with a send held open by the hang fault.
  await z.faults({ hang_next: 1 });
  const held = z.send(msg('h9'), { token: 'other-token', timeout: 10000 });
  await expectCleanSigterm(srv, held, 'send');
  expectTrue('stderr has one line per call', /send fault=hang -> no answer/.test(srv.stderr));
  expectTrue('the token is never logged', !srv.stderr.includes('other-token'));

  // A bad --templates file stops the server with status 2.
  fs.writeFileSync(templatesFile, JSON.stringify({ '312001': 'ma_ho_so' }));
  srv = await start(['--templates', templatesFile]);
  expect('bad --templates', srv.exitedEarly, { code: 2, signal: null });
}

await run(main);

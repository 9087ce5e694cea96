#!/usr/bin/env node
// Self-check of the SMS brandname stand-in: starts server.mjs on a free port,
// walks through the contract (token, field errors, phone numbers, unaccented
// text, length and segments, idempotency on ref), every fault, the control
// API, a SIGKILL restart with --state kept, and a clean SIGTERM. Prints one
// line per failed check and exits 1 if there was any, 0 otherwise. Node's
// built-in modules only.
//
//   node tests/standins/sms/selfcheck.mjs

import {
  expect, expectCleanSigterm, expectGatewayFaultRefusals, expectGatewayRoutes, expectTrue, gatewayControl, kill,
  request, run, setUp,
} from '../selfcheck_lib.mjs';

// start(args) starts server.mjs with `args`; resolves once it printed its port.
const { start, stateFile } = setUp('sms', import.meta.url);

// Binds a port to the gateway calls of one server.
function gateway(proc) {
  return {
    send: (fields, { token = 'sms-test-token', headers = {}, ...opts } = {}) => request(proc.port, 'POST', '/sms/send', {
      body: fields, ...opts, headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers } }),
    ...gatewayControl(proc),
  };
}

const sms = (ref, extra = {}) => ({
  brandname: 'UBND TINH', phone: '84912345678',
  message: 'Ho so H56.01-260105-0001 da duoc tiep nhan. Hen tra: 12/01/2026.', ref, ...extra,
});
const fieldError = (r, name) => r.status === 400 && r.json?.code === '10' && r.json.message.startsWith(name);

// ---------------------------------------------------------------- the walk

async function contract(srv, g) {
  expect('stdout is one line', srv.stdout, `listening on ${srv.port}\n`);

  let r = await g.send(sms('r1'), { token: 'wrong' });
  expect('wrong token', [r.status, r.json?.code], [401, '401']);
  expectTrue('wrong token: message', typeof r.json?.message === 'string' && r.json.message !== '');
  r = await g.send(sms('r1'), { token: null });
  expect('missing token', r.status, 401);
  r = await g.send(sms('r1'), { token: null, headers: { Authorization: 'Basic c21zOnNtcw==' } });
  expect('other scheme', r.status, 401);

  r = await request(srv.port, 'POST', '/sms/send', { raw: '{"phone": ', headers: { Authorization: 'Bearer sms-test-token' } });
  expect('malformed JSON', [r.status, r.json?.code], [400, '10']);
  r = await g.send(sms('r1'), { headers: { 'Content-Type': 'text/plain' } });
  expect('not application/json', [r.status, r.json?.code], [400, '10']);
  r = await g.send([sms('r1')]);
  expect('array body', [r.status, r.json?.code], [400, '10']);

  const bad = [
    ['brandname', { brandname: undefined }], ['brandname', { brandname: '' }], ['brandname', { brandname: 'UBNDTINHTHANHHOA' }],
    ['brandname', { brandname: 'UBND TỈNH' }], ['phone', { phone: 84912345678 }], ['message', { message: '' }],
    ['message', { message: 42 }], ['ref', { ref: undefined }], ['ref', { ref: 'x'.repeat(65) }], ['ref', { ref: 7 }],
    ['sender', { sender: 'X' }],
  ];
  for (const [name, change] of bad) {
    r = await g.send(sms('bad', change));
    expectTrue(`field error ${name} ${JSON.stringify(change)}`, fieldError(r, name), JSON.stringify([r.status, r.json]));
  }

  for (const phone of ['0912345678', '+84912345678', '8491234567', '849123456789', '84212345678', '84 912345678']) {
    r = await g.send(sms('bad', { phone }));
    expect(`phone ${phone}`, [r.status, r.json], [400, { code: '11', message: 'invalid phone number' }]);
  }

  r = await g.send(sms('bad', { message: 'Hồ sơ H56.01-260105-0001 đã được tiếp nhận.' }));
  expect('accented message', [r.status, r.json], [422, { code: '12', message: 'content must be unaccented' }]);
  for (const [what, message] of [['CR', 'a\r\nb'], ['tab', 'a\tb'], ['euro', 'a €'], ['NUL', 'a\u0000']]) {
    r = await g.send(sms('bad', { message }));
    expect(`${what} refused`, [r.status, r.json?.code], [422, '12']);
  }
  r = await g.send(sms('bad', { message: 'x'.repeat(460) }));
  expect('460 characters', [r.status, r.json?.code], [422, '13']);
  expect('nothing stored by refusals', (await g.messages()).messages, []);

  const cases = [['one', 'x'.repeat(160), 1], ['two', 'x'.repeat(161), 2], ['two-full', 'x'.repeat(306), 2],
                 ['three', 'x'.repeat(307), 3], ['max', 'x'.repeat(459), 3], ['lines', 'Dong 1\nDong 2 ~{}[]|\\^', 1]];
  for (const [ref, message, segments] of cases) {
    r = await g.send(sms(ref, { message }));
    expect(`segments ${ref}`, [r.status, r.json?.code, r.json?.message, r.json?.segments], [200, '00', 'OK', segments]);
  }

  r = await g.send(sms('r1'));
  expect('send', [r.status, r.json?.code, typeof r.json?.sms_id], [200, '00', 'string']);
  const id = r.json?.sms_id;
  r = await g.send(sms('r1'));
  expect('same ref: same sms_id', [r.status, r.json], [200, { code: '00', message: 'OK', sms_id: id, segments: 1 }]);
  r = await g.send(sms('r1', { message: 'Noi dung khac' }));
  expect('same ref, other text: same sms_id', r.json?.sms_id, id);
  r = await g.send(sms('r2', { phone: '84387654321', brandname: 'HCC' }));
  expect('second message', r.json?.code, '00');

  const m = await g.messages();
  expect('messages stored', m.messages.map((x) => x.ref), ['one', 'two', 'two-full', 'three', 'max', 'lines', 'r1', 'r2']);
  expect('duplicates', m.duplicates, 2);
  const r1 = m.messages.find((x) => x.ref === 'r1');
  expect('record fields', Object.keys(r1).sort(), ['brandname', 'message', 'phone', 'received_at', 'ref', 'sms_id']);
  expect('record as sent', [r1.phone, r1.brandname, r1.sms_id, r1.message], ['84912345678', 'UBND TINH', id, sms('r1').message]);
  expectTrue('received_at is a date', !Number.isNaN(Date.parse(r1.received_at)), r1.received_at);

  await expectGatewayRoutes(srv, '/sms/send', '/sms/other');
}

async function faults(srv, g) {
  await expectGatewayFaultRefusals(srv);
  let r = await g.faults({ fail_next: -1 });
  expect('negative count', r.status, 400);
  r = await g.faults({ status: 503 });
  expect('status without fail_next', r.status, 400);
  r = await g.faults({ fail_next: 1, status: 200 });
  expect('success status as a fault', r.status, 400);

  const before = (await g.messages()).messages.length;
  r = await g.faults({ fail_next: 2, status: 503 });
  expect('fail_next set', r.json?.faults, { fail_next: 2, status: 503, hang_next: 0, refuse_phones: [] });
  const answers = [];
  for (let i = 0; i < 3; i++) answers.push(await g.send(sms(`f${i}`)));
  expect('fail_next 2: statuses', answers.map((a) => a.status), [503, 503, 200]);
  expect('fail_next: JSON error', [answers[0].json?.code, answers[0].headers?.['retry-after']], ['503', '1']);
  expect('fail_next: nothing stored', (await g.messages()).messages.length, before + 1);

  await g.faults({ fail_next: 1, status: 500 });
  r = await g.send(sms('f0'));
  expect('fail_next 500', [r.status, r.json?.code], [500, '500']);
  r = await g.send(sms('f0'));
  expect('retry after failures: stored once', [r.status, (await g.messages()).messages.filter((x) => x.ref === 'f0').length], [200, 1]);

  await g.faults({ hang_next: 1 });
  r = await g.send(sms('h1'), { timeout: 300 });
  expect('hang_next: client gives up', r.error, 'CLIENT_TIMEOUT');
  expect('hang_next: nothing stored', (await g.messages()).messages.some((x) => x.ref === 'h1'), false);
  r = await g.send(sms('h1'));
  expect('hang_next: one call only', r.status, 200);

  await g.faults({ refuse_phones: ['84987654321'] });
  r = await g.send(sms('p1', { phone: '84987654321' }));
  expect('refuse_phones', [r.status, r.json], [400, { code: '11', message: 'invalid phone number' }]);
  r = await g.send(sms('p2'));
  expect('refuse_phones: others pass', r.status, 200);
  r = await request(srv.port, 'GET', '/_control/faults');
  expect('GET faults', r.json?.faults?.refuse_phones, ['84987654321']);

  await g.faults({});
  r = await g.send(sms('p1', { phone: '84987654321' }));
  expect('{} clears faults', r.status, 200);

  const m = await g.messages();
  expect('faults applied', m.faults_applied, { fail: 3, hang: 1, refuse: 1 });
  expect('failed sends are no duplicates', m.duplicates, 2);
  expect('calls counts every send', m.calls, 49);
}

async function main() {
  let srv = await start(['--state', stateFile]);
  let g = gateway(srv);
  await contract(srv, g);
  await faults(srv, g);

  // Restart: SIGKILL, then the same --state. Messages stay, and so does idempotency.
  const before = await g.messages();
  await kill(srv, 'SIGKILL');
  srv = await start(['--state', stateFile, '--token', 'other-token']);
  g = gateway(srv);
  expect('restart: state kept', await g.messages(), before);
  let r = await g.send(sms('r1'));
  expect('--token', r.status, 401);
  r = await g.send(sms('r1'), { token: 'other-token' });
  expect('restart: ref still known', r.json?.sms_id, before.messages.find((x) => x.ref === 'r1').sms_id);

  await g.faults({ fail_next: 5 });
  await g.reset();
  r = await g.send(sms('r1'), { token: 'other-token' });
  expect('reset: faults forgotten', r.status, 200);
  const m = await g.messages();
  expect('reset: messages forgotten', [m.messages.length, m.duplicates, m.calls, m.faults_applied], [1, 0, 1, {}]);

  // SIGTERM exits cleanly, even with a send held open by the hang fault.
  await g.faults({ hang_next: 1 });
  const held = g.send(sms('h9'), { token: 'other-token', timeout: 10000 });
  await expectCleanSigterm(srv, held, 'send');
  expectTrue('stderr has one line per call', /send fault=hang -> no answer/.test(srv.stderr));
  expectTrue('the token is never logged', !srv.stderr.includes('other-token'));
  expect('stdout still one line', srv.stdout, `listening on ${srv.port}\n`);
}

await run(main);

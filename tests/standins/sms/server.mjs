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
import http from 'node:http';

import {
  HttpAnswer, bump, gatewayFaultsToJSON, noGatewayFaults, parseArgs, parseGatewayFaults, parseObject, serveGateway,
  standIn,
} from '../lib.mjs';

// ---------------------------------------------------------------- options

const { fail, log } = standIn('sms');
const opts = parseArgs(process.argv.slice(2), { token: 'sms-test-token', state: null },
                       { '--token': 'token', '--state': 'state' }, fail);
if (opts.token === '') fail('--token must not be empty');

// ---------------------------------------------------------------- faults

// The whole fault configuration; each POST /_control/faults replaces it.
// Besides hang_next and fail_next (lib.mjs), refuse_phones.
const noFaults = () => ({ ...noGatewayFaults(503), refusePhones: new Set() });

const faultsToJSON = (f) => ({ ...gatewayFaultsToJSON(f), refuse_phones: [...f.refusePhones] });

// Parses a fault configuration; returns [faults, null] or [null, error].
function parseFaults(body) {
  const f = noFaults();
  const error = parseGatewayFaults(body, ['refuse_phones'], f);
  if (error) return [null, error];
  const phones = body.refuse_phones ?? [];
  if (!Array.isArray(phones) || !phones.every((p) => typeof p === 'string')) {
    return [null, 'refuse_phones must be an array of strings'];
  }
  f.refusePhones = new Set(phones);
  return [f, null];
}

// ---------------------------------------------------------------- the contract

// An answer of the gateway: an HTTP status and a JSON body {code, message, ...}.
class Answer extends HttpAnswer {
  constructor(status, code, message, extra = {}) {
    super(status, { code, message, ...extra }, message);
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
  const body = parseObject(raw.toString('utf8'));
  if (body === null) badField('body must be a JSON object');
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

// A whole send past the hang and fail faults, `state` being the messages and
// counters kept (lib.mjs) with `byRef`. Returns [status, body, note for the
// log], or throws an Answer.
function send(req, raw, state, faults) {
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
}

// ---------------------------------------------------------------- serving

// The messages and counters kept, the control API and the hang and fail
// faults are those of every message gateway (lib.mjs); `duplicates` counts
// the sends whose ref was already accepted.
serveGateway({
  opts, fail, log,
  endpoint: '/sms/send',
  notFound: { code: '404', message: 'not found' },
  notAllowed: { code: '405', message: 'POST only' },
  // Larger than any valid send (459 characters and a few short fields).
  maxBody: 1024 * 1024,
  tooLarge: () => new Answer(413, '10', 'body too large'),
  index(s) {  // ref -> message
    s.byRef = new Map();
    for (const m of s.messages) s.byRef.set(m.ref, m);
  },
  noFaults, parseFaults, faultsToJSON,
  failBody: (status) => ({ code: String(status), message: http.STATUS_CODES[status] ?? 'error' }),
  send,
  outcome: (body) => body.code,
  internalError: (err) => new HttpAnswer(500, { code: '99', message: err.message }, err.stack),
});

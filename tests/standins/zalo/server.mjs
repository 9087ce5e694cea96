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

import {
  HttpAnswer, bump, gatewayFaultsToJSON, htmlPage, isObject, noGatewayFaults, parseArgs, parseGatewayFaults,
  parseObject, serveGateway, standIn,
} from '../lib.mjs';

// ---------------------------------------------------------------- options

const { fail, log } = standIn('zalo');
const opts = parseArgs(process.argv.slice(2), { accessToken: 'zalo-test-token', templates: null, state: null },
                       { '--access-token': 'accessToken', '--templates': 'templates', '--state': 'state' }, fail);
if (opts.accessToken === '') fail('--access-token must not be empty');

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
  if (!isObject(j)) fail(`${file}: must be a JSON object`);
  const templates = new Map();
  for (const [id, params] of Object.entries(j)) {
    const ok = Array.isArray(params) && params.every((p) => typeof p === 'string' && p !== '')
      && new Set(params).size === params.length;
    if (id === '' || !ok) fail(`${file}: template ${JSON.stringify(id)} must map to an array of distinct parameter names`);
    templates.set(id, params);
  }
  return templates;
}

const templates = loadTemplates(opts.templates);

// ---------------------------------------------------------------- faults

// The whole fault configuration; each POST /_control/faults replaces it.
// Besides hang_next and fail_next (lib.mjs), not_on_zalo and expire_token.
const noFaults = () => ({ ...noGatewayFaults(500), notOnZalo: new Set(), expireToken: false });

const faultsToJSON = (f) => ({ ...gatewayFaultsToJSON(f), not_on_zalo: [...f.notOnZalo], expire_token: f.expireToken });

// Parses a fault configuration; returns [faults, null] or [null, error].
function parseFaults(body) {
  const f = noFaults();
  const error = parseGatewayFaults(body, ['not_on_zalo', 'expire_token'], f);
  if (error) return [null, error];
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
class Refusal extends HttpAnswer {
  constructor(error, message, why = message, status = 200) {
    super(status, { error, message }, why);
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

function parseBody(req, raw) {
  if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
    throw MALFORMED('Content-Type must be application/json');
  }
  const body = parseObject(raw.toString('utf8'));
  if (body === null) throw MALFORMED('body must be a JSON object');
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

// A whole send past the hang and fail faults, `state` being the messages and
// counters kept (lib.mjs) with `trackingIds`. Returns [status, body, note for
// the log], or throws a Refusal.
function send(req, raw, state, faults) {
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
}

// ---------------------------------------------------------------- serving

// The messages and counters kept, the control API and the hang and fail
// faults are those of every message gateway (lib.mjs); `duplicates` counts
// the sends whose tracking_id had been sent already (and were sent again).
serveGateway({
  opts, fail, log,
  endpoint: '/message/template',
  notFound: { error: -404, message: 'Not found' },
  notAllowed: { error: -405, message: 'POST only' },
  // Far larger than any valid send (a handful of parameters of 200 characters).
  maxBody: 1024 * 1024,
  tooLarge: () => new Refusal(-400, 'body too large', 'body too large', 413),
  index(s) {  // the tracking ids sent
    s.trackingIds = new Set();
    for (const m of s.messages) s.trackingIds.add(m.tracking_id);
  },
  noFaults, parseFaults, faultsToJSON,
  // A small HTML page, as a proxy in front of the API would send.
  failBody: htmlPage,
  send,
  outcome: (body) => `error=${body.error}`,
  internalError: (err) => new Refusal(-100, 'Unknown error', err.stack, 500),
});

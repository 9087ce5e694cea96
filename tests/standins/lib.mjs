// Plumbing shared by the Node stand-ins (dvcqg, sms, zalo; see README.md):
// their options, the --state file, reading and answering HTTP, holding a
// call open for a hang fault, listening, the control routes and shutting
// down; and what the two message gateways (sms, zalo) have in common: the
// messages and counters they keep, their hang_next and fail_next faults and
// their control API. What a stand-in's contract says stays in its own
// server.mjs.
//
// Node's built-in modules only; runs on Node 18 and later.

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

// ---------------------------------------------------------------- process

// The stand-in's `fail` (a message on stderr, then exit status 2) and `log`
// (one timestamped line on stderr per call), both naming it.
export function standIn(name) {
  return {
    fail(message) {
      process.stderr.write(`${name} stand-in: ${message}\n`);
      process.exit(2);
    },
    log: (line) => process.stderr.write(`${new Date().toISOString()} ${name} ${line}\n`),
  };
}

// Parses the command line. Every stand-in takes --port (default 0, any free
// port) and --host (default 127.0.0.1); `flags` maps its own options to keys
// of the result, whose defaults are `defaults`. Both "--port 0" and
// "--port=0" are accepted. The port is checked and made a number; the other
// values stay strings, for the stand-in to check.
export function parseArgs(argv, defaults, flags, fail) {
  const opts = { port: '0', host: '127.0.0.1', ...defaults };
  const known = { '--port': 'port', '--host': 'host', ...flags };
  for (let i = 0; i < argv.length; i++) {
    let [flag, value] = argv[i].split(/=(.*)/s, 2);
    if (!(flag in known)) fail(`unknown option ${flag}`);
    if (value === undefined && (value = argv[++i]) === undefined) fail(`${flag} needs a value`);
    opts[known[flag]] = value;
  }
  opts.port = Number(opts.port);
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) fail('--port must be 0..65535');
  return opts;
}

export const bump = (map, key, n = 1) => map.set(key, (map.get(key) ?? 0) + n);

// ---------------------------------------------------------------- the --state file

// The state held in `file` (the --state option), made by `fromJSON` from the
// file's JSON; null without --state or while the file does not exist. A file
// that cannot be read stops the stand-in with status 2.
export function loadStateFile(file, fromJSON, fail) {
  if (!file || !fs.existsSync(file)) return null;
  try {
    return fromJSON(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch (err) {
    fail(`cannot read the state file ${file}: ${err.message}`);
  }
}

// Writes toJSON() to `file` atomically (temp file, fsync, rename), so that a
// SIGKILL at any moment leaves either the old or the new file. Does nothing
// without --state.
export function saveStateFile(file, toJSON) {
  if (!file) return;
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeFileSync(fd, JSON.stringify(toJSON()));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  try {  // make the rename itself durable; not every platform can fsync a directory
    const dir = fs.openSync(path.dirname(path.resolve(file)), 'r');
    try { fs.fsyncSync(dir); } finally { fs.closeSync(dir); }
  } catch { /* best effort */ }
}

// ---------------------------------------------------------------- HTTP

export const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

// An answer that ends a call: HTTP `status` with the JSON `body`; `detail`
// (the error's message) says more in the log line. Each stand-in derives its
// own errors from it.
export class HttpAnswer extends Error {
  constructor(status, body, detail) {
    super(detail);
    this.status = status;
    this.body = body;
  }
}

// The whole body of a request; more than `max` bytes throws tooLarge().
export async function readBody(req, max, tooLarge) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    if ((size += chunk.length) > max) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

// `text` parsed, when it is a JSON object; else null.
export function parseObject(text) {
  let value;
  try { value = JSON.parse(text); } catch { /* not JSON */ }
  return isObject(value) ? value : null;
}

// Answers `body`: as JSON, or as HTML when it is a string.
export function reply(res, status, body, headers = {}) {
  const isJson = typeof body !== 'string';
  const data = Buffer.from(isJson ? JSON.stringify(body) : body);
  res.writeHead(status, {
    'Content-Type': isJson ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8',
    'Content-Length': data.length,
    ...headers,
  });
  res.end(data);
}

// A small HTML error page, as a proxy or a web server in front of an API sends.
export function htmlPage(status) {
  const title = `${status} ${http.STATUS_CODES[status] ?? 'Error'}`;
  return `<html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>\n`;
}

const held = new Set();  // sockets held open by a hang fault, dropped at shutdown

// The hang fault: the request has been read and is never answered; the
// socket stays open until the client gives up (or the stand-in stops).
export function holdOpen(req) {
  const socket = req.socket;
  held.add(socket);
  socket.setTimeout(0);
  socket.once('close', () => held.delete(socket));
}

// Serves HTTP on opts.host:opts.port and prints `listening on <port>` once
// it listens (a port it cannot take stops it with status 2). Paths under
// /_control/ go to control(req, res, "<METHOD> <path>"), each call logged;
// the others to handle(req, res, pathname). Whatever either throws is
// answered: an HttpAnswer as it says, anything else as internalError(err)
// makes it (an HttpAnswer with the stack as its detail), and logged. SIGTERM
// and SIGINT drop the held calls and exit with status 0.
export function serve({ opts, fail, log, control, handle, internalError }) {
  async function route(req, res) {
    const { pathname } = new URL(req.url, 'http://stand-in');
    if (pathname.startsWith('/_control/')) {
      await control(req, res, `${req.method} ${pathname}`);
      return log(`control ${req.method} ${pathname} -> HTTP ${res.statusCode}`);
    }
    await handle(req, res, pathname);
  }

  const server = http.createServer({ requestTimeout: 0 }, (req, res) => {
    route(req, res).catch((err) => {
      const answer = err instanceof HttpAnswer ? err : internalError(err);
      log(`${req.method} ${req.url} -> HTTP ${answer.status}: ${answer.message}`);
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
    for (const socket of held) socket.destroy();
    server.close(() => process.exit(0));
    server.closeAllConnections?.();  // Node >= 18.2
    setTimeout(() => process.exit(0), 2000).unref();
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

// ---------------------------------------------------------------- message gateways (sms, zalo)

// The faults both gateways have, for the next sends whatever their content:
// `hang_next` sends held open, then `fail_next` sends answered with HTTP
// `status` (`defaultStatus` unless given). A gateway's fault configuration
// starts with these and adds its own.
export const noGatewayFaults = (defaultStatus) => ({ failNext: 0, status: defaultStatus, hangNext: 0 });

export const gatewayFaultsToJSON = (f) => ({ fail_next: f.failNext, status: f.status, hang_next: f.hangNext });

// Reads fail_next, status and hang_next from a fault configuration into `f`
// (made by noGatewayFaults), refusing any key but those and `ownKeys`.
// Returns an error message, or null.
export function parseGatewayFaults(body, ownKeys, f) {
  const known = ['fail_next', 'status', 'hang_next', ...ownKeys];
  const unknown = Object.keys(body).find((k) => !known.includes(k));
  if (unknown !== undefined) return `unknown fault ${unknown}; known: ${known.join(', ')}`;
  const count = (name) => {
    const v = body[name] ?? 0;
    return Number.isInteger(v) && v >= 0 ? v : null;
  };
  if ((f.failNext = count('fail_next')) === null) return 'fail_next must be a non-negative integer';
  if ((f.hangNext = count('hang_next')) === null) return 'hang_next must be a non-negative integer';
  if (body.status !== undefined) {
    if (!('fail_next' in body)) return 'status goes with fail_next';
    if (!Number.isInteger(body.status) || body.status < 400 || body.status > 599) {
      return 'status must be an HTTP error status, 400..599';
    }
    f.status = body.status;
  }
  return null;
}

// What a gateway keeps: the messages it took, in order of arrival, the
// repeated sends, every send received (`calls`) and the faults drawn, by
// kind. messagesToJSON gives the shape of GET /_control/messages, which is
// also the shape of the --state file.
const emptyMessages = () => ({ messages: [], duplicates: 0, calls: 0, faultsApplied: new Map() });

const messagesToJSON = (s) => ({
  messages: s.messages,
  duplicates: s.duplicates,
  calls: s.calls,
  faults_applied: Object.fromEntries(s.faultsApplied),
});

const messagesFromJSON = (j) => ({
  messages: j.messages ?? [],
  duplicates: j.duplicates ?? 0,
  calls: j.calls ?? 0,
  faultsApplied: new Map(Object.entries(j.faults_applied ?? {})),
});

// Runs a message gateway: one endpoint taking sends by POST, the messages
// and counters it keeps (written to --state after every send and reset,
// before answering, and loaded at start), its faults (never kept) and its
// control API: GET /_control/messages, GET and POST /_control/faults (a POST
// replaces the whole configuration; {} clears it) and POST /_control/reset.
// Each send is counted in `calls`; then hang_next, then fail_next, may take
// it before any check (they stand for the gateway, or what is in front of
// it, failing); else send(req, raw, state, faults) answers it.
//
// The stand-in's own parts:
//   opts, fail, log        its options (--port, --host, --state) and standIn()'s pair;
//   endpoint               the path of the send; another path is answered 404 with
//                          `notFound`, another method than POST 405 with `notAllowed`;
//   maxBody, tooLarge()    the largest body taken, and the error thrown above it;
//   index(s)               adds to the state `s` what it derives from s.messages;
//   noFaults(), parseFaults(spec) -> [faults, null] or [null, error], faultsToJSON(f)
//                          its fault configuration;
//   failBody(status)       the answer to a send the fail_next fault stops (with
//                          Retry-After: 1 for 503 and 429);
//   send(req, raw, state, faults) -> [status, body, note]
//                          a send past those faults, `note` going to its log line,
//                          which ends in outcome(body); an HttpAnswer it throws
//                          is answered the same way, its message as the note;
//   internalError(err)     see serve().
export function serveGateway(g) {
  const emptyState = () => {
    const s = emptyMessages();
    g.index(s);
    return s;
  };
  let state = loadStateFile(g.opts.state, (j) => {
    const s = messagesFromJSON(j);
    g.index(s);
    return s;
  }, g.fail) ?? emptyState();
  let faults = g.noFaults();
  const persist = () => saveStateFile(g.opts.state, () => messagesToJSON(state));
  const body = (req) => readBody(req, g.maxBody, g.tooLarge);

  // The hang_next and fail_next faults; true when one took the call.
  function takeFault(req, res) {
    if (faults.hangNext > 0) {
      faults.hangNext--;
      bump(state.faultsApplied, 'hang');
      persist();
      holdOpen(req);
      g.log('send fault=hang -> no answer');
      return true;
    }
    if (faults.failNext > 0) {
      faults.failNext--;
      bump(state.faultsApplied, 'fail');
      persist();
      const status = faults.status;
      reply(res, status, g.failBody(status), status === 503 || status === 429 ? { 'Retry-After': '1' } : {});
      g.log(`send fault=fail -> HTTP ${status}`);
      return true;
    }
    return false;
  }

  async function sendCall(req, res) {
    const raw = await body(req);
    state.calls++;
    if (takeFault(req, res)) return;
    let status, answer, note;
    try {
      [status, answer, note] = g.send(req, raw, state, faults);
    } catch (err) {
      if (!(err instanceof HttpAnswer)) throw err;
      [status, answer, note] = [err.status, err.body, err.message];
    }
    persist();  // durable before the client can see an answer
    reply(res, status, answer);
    g.log(`send ${note} -> HTTP ${status} ${g.outcome(answer)}`);
  }

  async function control(req, res, route) {
    switch (route) {
      case 'GET /_control/messages':
        return reply(res, 200, messagesToJSON(state));
      case 'GET /_control/faults':
        return reply(res, 200, { faults: g.faultsToJSON(faults) });
      case 'POST /_control/faults': {
        // An empty body is {}.
        const spec = parseObject((await body(req)).toString('utf8') || '{}');
        if (spec === null) return reply(res, 400, { error: 'the body must be a JSON object' });
        const [parsed, error] = g.parseFaults(spec);
        if (error) return reply(res, 400, { error });
        faults = parsed;
        return reply(res, 200, { faults: g.faultsToJSON(faults) });
      }
      case 'POST /_control/reset':
        await body(req);
        state = emptyState();
        faults = g.noFaults();
        persist();
        return reply(res, 200, { reset: true });
      default:
        return reply(res, 404, { error: `no control route ${route}` });
    }
  }

  async function handle(req, res, pathname) {
    if (pathname !== g.endpoint) {
      reply(res, 404, g.notFound);
      return g.log(`${req.method} ${pathname} -> HTTP 404`);
    }
    if (req.method !== 'POST') {
      reply(res, 405, g.notAllowed, { Allow: 'POST' });
      return g.log(`${req.method} ${pathname} -> HTTP 405`);
    }
    await sendCall(req, res);
  }

  serve({ opts: g.opts, fail: g.fail, log: g.log, control, handle, internalError: g.internalError });
}

// No untranslated string: both languages have every key, none is empty, and
// every t('key') the pages call exists.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { messages as portal } from '../src/common/messages.js';
import { accountMessages } from '../src/common/messages_account.js';
import { staffMessages } from '../src/common/messages_staff.js';

// Every app's strings; a key is in one file only.
const parts = { portal, account: accountMessages, staff: staffMessages };
const messages = { vi: {}, en: {} };
for (const part of Object.values(parts)) for (const l of ['vi', 'en']) Object.assign(messages[l], part[l]);

const src = new URL('../src/', import.meta.url).pathname;

function sources(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, out);
    else if (/\.(js|jsx)$/.test(name)) out.push(path);
  }
  return out;
}

test('Vietnamese and English have the same keys, none empty', () => {
  const vi = Object.keys(messages.vi).sort();
  const en = Object.keys(messages.en).sort();
  assert.deepEqual(vi.filter((k) => !en.includes(k)), [], 'keys only in Vietnamese');
  assert.deepEqual(en.filter((k) => !vi.includes(k)), [], 'keys only in English');
  for (const lang of ['vi', 'en']) {
    for (const [k, v] of Object.entries(messages[lang])) assert.ok(v.trim(), `${lang} ${k} is empty`);
  }
});

test('a key is in one file only', () => {
  for (const lang of ['vi', 'en']) {
    const seen = {};
    for (const [name, part] of Object.entries(parts)) {
      for (const k of Object.keys(part[lang])) {
        assert.ok(!(k in seen), `${lang} ${k} is in ${seen[k]} and ${name}`);
        seen[k] = name;
      }
    }
  }
});

test('placeholders are the same in both languages', () => {
  const names = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',');
  for (const k of Object.keys(messages.vi)) assert.equal(names(messages.en[k]), names(messages.vi[k]), k);
});

test('every key the pages ask for exists', () => {
  const missing = [];
  for (const file of sources(src)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bt\(\s*'([a-z_]+\.[a-z0-9_.]+)'/g)) {
      if (!(m[1] in messages.vi)) missing.push(`${file.slice(src.length)}: ${m[1]}`);
    }
  }
  assert.deepEqual(missing, []);
  // Keys built from a value ('online.' + mode): every value the API
  // documents must have its key.
  for (const k of ['online.full', 'online.partial', 'online.none', 'level.province', 'level.commune',
    'level.district', 'limit.working_days', 'limit.working_hours', 'result.certificate', 'result.licence',
    'result.certified_copy', 'result.decision', 'result.written_answer', 'result.other', 'urgency.normal',
    'urgency.nearing', 'urgency.overdue', 'urgency.none', 'rating_level.1', 'rating_level.2', 'rating_level.3', 'form.02', 'form.03', 'form.04', 'form.05',
    'outbox.state.pending', 'outbox.state.delivered', 'outbox.state.dead', 'outbox.state.discarded', 'outbox.destination.dvcqg',
    // The notification routes' values (docs/api.md, Notifications): channels, notices, languages.
    'notify.dest.email', 'notify.dest.zalo', 'notify.dest.sms', 'notify.kind.receipt', 'notify.kind.supplement_request',
    'notify.kind.payment_request', 'notify.kind.new_appointment', 'notify.kind.result_ready',
    'notify.kind.processing_stopped', 'notify.kind.refused', 'notify.kind.officer_digest', 'notify.lang.vi', 'notify.lang.en']) {
    assert.ok(k in messages.vi, k);
  }
});

test('the Vietnamese is written with its diacritics', () => {
  // A page written without them ("Tra cuu ho so") is a bug a citizen notices.
  // lang.* name the other language in that language, on purpose.
  const plain = Object.entries(messages.vi)
    .filter(([k]) => !k.startsWith('lang.'))
    .filter(([, v]) => v.split(/\s+/).length >= 3 && !/[À-ỹđĐ]/.test(v) && !/[a-z]-[a-z]/.test(v));
  assert.deepEqual(plain, []);
});

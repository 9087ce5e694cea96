// The page language: Vietnamese unless the visitor chose English (kept in
// localStorage). t(key, vars) fills {name} placeholders from vars.
import { messages } from './messages.js';

const stored = (() => {
  try { return localStorage.getItem('motcua.lang'); } catch { return null; }
})();
let lang = stored === 'en' ? 'en' : 'vi';
const listeners = new Set();

export function currentLang() { return lang; }

// More strings, for an app that needs more than the portal's.
export function addMessages(more) {
  for (const l of ['vi', 'en']) Object.assign(messages[l], more[l]);
}

export function setLang(next) {
  lang = next === 'en' ? 'en' : 'vi';
  try { localStorage.setItem('motcua.lang', lang); } catch { /* private mode */ }
  document.documentElement.lang = lang;
  for (const f of listeners) f(lang);
}

export function onLangChange(f) {
  listeners.add(f);
  return () => listeners.delete(f);
}

export function t(key, vars) {
  const text = messages[lang][key] ?? messages.vi[key] ?? key;
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
}

// The API's bilingual fields: `name` and `name_en`.
export function pick(obj, field = 'name') {
  if (!obj) return '';
  return (lang === 'en' && obj[field + '_en']) || obj[field] || '';
}

const zone = 'Asia/Ho_Chi_Minh';
const locale = () => (lang === 'en' ? 'en-GB' : 'vi-VN');

// "16/12/2026 07:30", Vietnam time, in both languages.
export function formatMoment(iso) {
  if (!iso) return '';
  const parts = {};
  for (const p of new Intl.DateTimeFormat('en-GB', {
    timeZone: zone, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(iso))) parts[p.type] = p.value;
  return `${parts.day}/${parts.month}/${parts.year} ${parts.hour}:${parts.minute}`;
}

export function formatDate(iso) {
  if (!iso) return '';
  const d = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? new Date(iso + 'T12:00:00+07:00') : new Date(iso);
  return new Intl.DateTimeFormat(locale(), { timeZone: zone, day: '2-digit', month: '2-digit', year: 'numeric' })
    .format(d);
}

export function formatVnd(amount) {
  if (!amount) return t('common.free');
  return t('common.vnd', { amount: new Intl.NumberFormat('vi-VN').format(amount) });
}

export function formatTimeLimit(limit) {
  if (!limit) return '';
  if (limit.value === 0 && limit.unit === 'working_days') return t('limit.same_day');
  return t('limit.' + limit.unit, { value: limit.value });
}

// Working time left, in office days of 7.5 hours (07:30-11:30, 13:30-17:00).
export function formatWorkingLeft(seconds) {
  if (seconds === null || seconds === undefined) return '';
  const day = 7.5 * 3600;
  const days = Math.floor(seconds / day);
  const hours = Math.round(((seconds - days * day) / 3600) * 10) / 10;
  if (days > 0) return t('time.left_days', { days, hours });
  return t('time.left_hours', { hours });
}

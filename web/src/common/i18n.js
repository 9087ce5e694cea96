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

// Working time left until an appointment, in office days and hours: the API
// gives both `working_seconds_left` (negative once overdue) and
// `working_day_seconds`, the length of the server's office day (its office
// hours are configurable): "còn 2 ngày 3,5 giờ làm việc", "còn 5 ngày làm
// việc", "quá hạn 1,5 giờ làm việc".
export function formatWorkingLeft(seconds, daySeconds) {
  if (seconds === null || seconds === undefined) return '';
  const over = seconds < 0;
  // In tenths of an hour, so that 7.46 hours of a 7.5-hour day is not "0 days 7.5 hours".
  const tenths = Math.round(Math.abs(seconds) / 360);
  const dayTenths = daySeconds > 0 ? Math.round(daySeconds / 360) : 0;
  const days = dayTenths > 0 ? Math.floor(tenths / dayTenths) : 0;
  const rest = tenths - days * dayTenths;
  const hours = (rest / 10).toLocaleString(locale(), { maximumFractionDigits: 1 });
  if (days > 0 && rest === 0) return t(over ? 'time.over_days_only' : 'time.left_days_only', { days });
  if (days > 0) return t(over ? 'time.over_days' : 'time.left_days', { days, hours });
  return t(over ? 'time.over_hours' : 'time.left_hours', { hours });
}

// The quality bars of the citizen pages: what they weigh, how soon they are
// usable on a slow 3G phone, and what axe-core finds (WCAG 2.1 A and AA).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { axe, counterDossier, signIn, serverAndBrowser } from './harness.mjs';

const env = serverAndBrowser({ dossiers: 40 });

// Bytes on the wire (compressed bodies and headers) of everything a page
// loads until the network is quiet, from an empty cache.
async function weigh(path) {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  let bytes = 0;
  const urls = [];
  cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
  cdp.on('Network.requestWillBeSent', (e) => urls.push(e.request.url));
  await page.goto(env.server.url + path, { waitUntil: 'networkidle' });
  await context.close();
  return { bytes, urls };
}

for (const path of ['/', '/tra-cuu', '/thu-tuc/1.000894.000.00.00.H56']) {
  test(`${path} transfers at most 100 KB`, async () => {
    const { bytes, urls } = await weigh(path);
    console.log(`# ${path}: ${bytes} bytes in ${urls.length} requests`);
    assert.ok(bytes <= 100 * 1024, `${bytes} bytes: ${urls.join(' ')}`);
    // Nothing from elsewhere: the binary serves every asset.
    for (const u of urls) assert.ok(u.startsWith(env.server.url), u);
  });
}

// Chromium's "Slow 3G": 2 s of latency per request, 400 kbit/s each way.
const slow3g = { offline: false, latency: 2000, downloadThroughput: 50000, uploadThroughput: 50000 };

for (const [path, field, label] of [['/', '#q', 'the search box'], ['/tra-cuu', '#number', 'the lookup form']]) {
  test(`${path} is usable within 3 s on slow 3G (${label})`, async () => {
    const context = await env.browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', slow3g);
    const start = Date.now();
    await page.goto(env.server.url + path, { waitUntil: 'commit' });
    await page.locator(field).waitFor({ state: 'visible' });
    const usable = Date.now() - start;
    console.log(`# ${path}: ${label} usable after ${usable} ms on slow 3G`);
    assert.ok(usable <= 3000, `${usable} ms`);
    // And it works, at that speed, as soon as it is there.
    await page.locator(field).fill(path === '/' ? 'khai sinh' : '000.51.00.H55-261202-0001');
    if (path === '/') {
      await page.waitForFunction(() => /khai sinh/i.test(document.querySelector('ul.procedures a')?.textContent),
        null, { timeout: 20000 });
    }
    await context.close();
  });
}

test('axe-core finds no serious or critical violation on any page', async () => {
  const d = await counterDossier(env.server.url);
  const context = await env.browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const pages = [
    ['home', '/?q=ket%20hon', 'ul.procedures a'],
    ['procedure', '/thu-tuc/1.001702.000.00.00.H56', 'table'],
    ['lookup', '/tra-cuu', '#number'],
    ['lookup result', `/tra-cuu?so=${encodeURIComponent(d.number)}&ma=${d.secret}`, 'section.result'],
    ['sign in', '/dang-nhap', '#username'],
    ['register', '/dang-ky', '#display_name'],
    ['not found', '/khong-co', 'h1'],
  ];
  const found = [];
  for (const [name, path, ready] of pages) {
    await page.goto(env.server.url + path);
    await page.locator(ready).first().waitFor();
    for (const v of await axe(page)) found.push(`${name}: ${v}`);
  }
  // Pages with their errors showing.
  await page.goto(env.server.url + '/tra-cuu');
  await page.getByRole('button', { name: 'Tra cứu' }).click();
  await page.locator('#number-error').waitFor();
  for (const v of await axe(page)) found.push(`lookup errors: ${v}`);
  await page.goto(env.server.url + '/dang-ky');
  await page.getByLabel('Họ và tên').fill('A');
  await page.getByLabel('Tên đăng nhập').fill('x');
  await page.getByLabel('Mật khẩu').fill('y');
  await page.getByRole('button', { name: 'Đăng ký' }).click();
  await page.locator('.error-text').first().waitFor();
  for (const v of await axe(page)) found.push(`register errors: ${v}`);
  // English.
  await page.goto(env.server.url + '/?q=ket%20hon');
  await page.getByRole('button', { name: 'Switch to English' }).click();
  await page.locator('ul.procedures a').first().waitFor();
  for (const v of await axe(page)) found.push(`home (English): ${v}`);
  await page.getByRole('button', { name: 'Chuyển sang tiếng Việt' }).click();
  // The staff workspace.
  const officer = await signIn(env.server.url, 'motcua.phandinhphung');
  await context.addCookies([{ name: 'motcua_session', value: officer.cookie.split('=')[1], url: env.server.url }]);
  await page.goto(env.server.url + '/can-bo/');
  await page.locator('table.inbox').waitFor();
  for (const v of await axe(page)) found.push(`staff inbox: ${v}`);
  // The check itself sees a violation when there is one.
  await page.goto(env.server.url + '/tra-cuu');
  await page.locator('#number').waitFor();
  await page.evaluate(() => document.querySelector('label[for=number]').remove());
  assert.ok((await axe(page)).some((v) => v.startsWith('label')), 'axe did not see an input without a label');
  await context.close();
  assert.deepEqual(found, []);
});

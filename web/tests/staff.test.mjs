// The staff workspace in Chromium: an officer signs in at the portal, lands
// in their inbox with its counts and deadline colours, and searches it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PASSWORD, call, counterDossier, shoot, signIn, heading, until, serverAndBrowser } from './harness.mjs';

const env = serverAndBrowser({ dossiers: 800 });

async function signInAt(page, username, next = '') {
  await page.goto(env.server.url + '/dang-nhap' + next);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(PASSWORD);
  await page.getByRole('button', { name: 'Đăng nhập' }).last().click();
}

test('a specialist signs in at the portal and lands in the inbox, with its counts and colours', async () => {
  const specialist = await signIn(env.server.url, 'chuyenvien.phandinhphung');
  const api = await call(env.server.url, specialist, 'GET', '/api/v1/inbox?limit=100');
  assert.ok(api.items.length > 1, 'the seeded province should give this specialist work');

  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signInAt(page, 'chuyenvien.phandinhphung');
  await page.waitForURL(env.server.url + '/can-bo/');
  await page.locator('table.inbox').waitFor();
  await until(heading(page), 'Hồ sơ cần xử lý');
  const counts = await page.locator('ul.counts').innerText();
  assert.match(counts, new RegExp(`${api.counts.total}\\s+Tổng số`));
  assert.match(counts, new RegExp(`${api.counts.overdue}\\s+Quá hạn`));
  assert.match(counts, new RegExp(`${api.counts.nearing}\\s+Sắp đến hạn`));
  assert.match(counts, new RegExp(`${api.counts.waiting_for_citizen}\\s+Chờ công dân`));
  // The rows, in the API's order (by appointment), with the masked name and
  // a colour for each deadline.
  const rows = page.locator('table.inbox tbody tr');
  assert.equal(await rows.count(), Math.min(20, api.items.length));
  for (let i = 0; i < Math.min(20, api.items.length); i++) {
    const item = api.items[i];
    const cells = await rows.nth(i).locator('td').allInnerTexts();
    assert.equal(cells[0], item.number);
    assert.equal(cells[1], item.applicant.full_name);
    const badge = rows.nth(i).locator('.badge');
    assert.equal(await badge.getAttribute('class'), 'badge urgency-' + (item.urgency || 'none'));
  }
  await shoot(page, 'staff-inbox');
  if (api.next_cursor) {
    await page.getByRole('button', { name: 'Trang sau' }).click();
    await page.waitForFunction((n) => document.querySelector('table.inbox tbody td')?.textContent === n, api.items[20].number);
  }
  await context.close();
});

test('an officer finds a new counter dossier in the inbox by its number, with the name masked', async () => {
  const d = await counterDossier(env.server.url, 'Lê Thị Cúc');
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signInAt(page, 'motcua.phandinhphung');
  await page.waitForURL(env.server.url + '/can-bo/');
  await page.locator('table.inbox').waitFor();
  assert.equal(await page.getByText('Lê Thị Cúc').count(), 0);
  const rows = page.locator('table.inbox tbody tr');
  await page.getByLabel('Tìm theo số hồ sơ hoặc tên người nộp').fill(d.number);
  await page.waitForFunction(() => document.querySelectorAll('table.inbox tbody tr').length === 1);
  assert.equal(await rows.first().locator('td').first().innerText(), d.number);
  assert.match(await rows.first().innerText(), /Lê T\. C\./);
  await page.getByLabel('Tìm theo số hồ sơ hoặc tên người nộp').fill('zzqxw');
  await page.getByText('Không có hồ sơ nào cần xử lý.').waitFor();
  await context.close();
});

test('the workspace sends a visitor to sign in first, and a citizen is told it is for staff', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(env.server.url + '/can-bo/');
  await page.waitForURL(/\/dang-nhap\?tiep=%2Fcan-bo%2F$/);
  await signInAt(page, 'motcua.tinh', '?tiep=%2Fcan-bo%2F');
  await page.waitForURL(env.server.url + '/can-bo/');
  await page.locator('ul.counts').waitFor();
  await context.close();

  const citizen = await env.browser.newContext();
  const cpage = await citizen.newPage();
  await signInAt(cpage, 'congdan');
  await cpage.waitForURL(env.server.url + '/');
  await cpage.goto(env.server.url + '/can-bo/');
  await cpage.getByText('Tài khoản này không có vai trò cán bộ.').waitFor();
  await citizen.close();
});

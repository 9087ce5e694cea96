// Administration in Chromium: the units tree with merged units and their
// successors, users and their roles, and the workflows as diagrams.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { axe, call, heading, serverAndBrowser, shoot, signIn, signInPage, until } from './harness.mjs';

const env = serverAndBrowser();

const signInAt = (username) => signInPage(env, username);

test('the units tree shows the merged units, when they ended and who took over', async () => {
  const page = await signInAt('quantri.tinh');
  await page.waitForURL(env.server.url + '/quan-tri/');
  await page.getByRole('link', { name: 'Đơn vị hành chính' }).click();
  await until(heading(page), 'Đơn vị hành chính');
  const unit = (name) => page.locator('li').filter({ has: page.locator(':scope > .unit-name', { hasText: name }) });
  const retired = unit('Phường Phùng Chí Kiên');
  await retired.waitFor();
  const text = await retired.innerText();
  assert.match(text, /Đã thôi hoạt động từ 01\/07\/2025\./);
  assert.match(text, /Đơn vị kế thừa: Phường Đức Xuân\./);
  assert.equal(await retired.getAttribute('class'), 'retired');
  assert.match(await unit('Phường Đức Xuân').first().innerText(), /Hình thành từ: .*Phường Phùng Chí Kiên/);
  assert.deepEqual(await axe(page), []);
  await shoot(page, 'admin-units');
  await page.getByLabel('Hiện cả đơn vị đã sáp nhập, giải thể').uncheck();
  assert.equal(await page.locator('li.retired').count(), 0);
  assert.ok(await page.getByText('Xã Ba Bể').count() >= 1);
  await page.context().close();
});

test('an administrator grants a role, and is told plainly what they may not grant', async () => {
  const page = await signInAt('quantri.tinh');
  await page.goto(env.server.url + '/quan-tri/nguoi-dung');
  await page.locator('tr', { hasText: 'congdan' }).getByRole('button').click();
  const form = page.locator('form.card');
  await form.waitFor();
  await form.getByLabel('Vai trò', { exact: true }).selectOption('officer');
  await form.getByLabel('Đơn vị', { exact: true }).selectOption({ label: 'Xã Ba Bể' });
  await form.getByRole('button', { name: 'Thêm vai trò' }).click();
  assert.deepEqual(await axe(page), []);
  await form.getByRole('button', { name: 'Lưu' }).click();
  await page.locator('form.card').waitFor({ state: 'detached' });
  await until(async () => /Cán bộ một cửa · Xã Ba Bể/.test(await page.locator('tr', { hasText: 'congdan' }).innerText()), true);
  const admin = await signIn(env.server.url, 'admin');
  const users = await call(env.server.url, admin, 'GET', '/api/v1/users?limit=200');
  const congdan = users.items.find((u) => u.username === 'congdan');
  assert.ok(congdan.roles.some((r) => r.role === 'officer'), JSON.stringify(congdan.roles));
  await shoot(page, 'admin-users');

  // A province administrator never grants system_admin.
  await page.locator('tr', { hasText: 'congdan' }).getByRole('button').click();
  await page.locator('form.card').getByLabel('Vai trò', { exact: true }).selectOption('system_admin');
  await page.locator('form.card').getByRole('button', { name: 'Thêm vai trò' }).click();
  await page.locator('form.card').getByRole('button', { name: 'Lưu' }).click();
  await page.getByRole('alert').waitFor();
  assert.equal(await page.getByRole('alert').innerText(), 'Bạn không được cấp vai trò này ở đơn vị này.');
  await page.context().close();
});

test('a workflow is shown as a diagram of its states and a table of its actions', async () => {
  const admin = await signIn(env.server.url, 'admin');
  const wf = await call(env.server.url, admin, 'GET', '/api/v1/workflows/commune-simple');
  const page = await signInAt('admin');
  await page.goto(env.server.url + '/quan-tri/quy-trinh');
  await page.getByRole('link', { name: 'Quy trình một cửa cấp xã' }).click();
  await until(heading(page), 'Quy trình một cửa cấp xã');
  assert.equal(await page.locator('svg rect').count(), wf.nodes.length);
  for (const n of wf.nodes) assert.equal(await page.locator('svg .node-label', { hasText: n.name }).count() >= 1, true, n.name);
  assert.equal(await page.locator('table tbody tr').count(), wf.edges.length);
  assert.match(await page.locator('table tbody tr').first().innerText(), /Tiếp nhận hồ sơ\s+Mới tiếp nhận\s+Đã tiếp nhận, chờ xử lý\s+Cán bộ một cửa/);
  assert.deepEqual(await axe(page), []);
  await shoot(page, 'admin-workflow');

  // Its definition, edited: a misspelt state is shown under its own line.
  const editor = page.getByLabel('Định nghĩa (JSON)');
  await until(async () => (await editor.inputValue()).includes('"initial"'), true);
  const good = await editor.inputValue();
  await editor.fill(good.replace('"to": "accepted"', '"to": "acepted"'));
  await page.getByRole('button', { name: 'Kiểm tra' }).click();
  // Every problem at once: the unknown state under the action's line, and the
  // state no action reaches now under that state's line.
  const bad = page.locator('ol.listing li.bad');
  await bad.first().waitFor();
  const marked = await bad.filter({ hasText: '"to": "acepted"' }).innerText();
  assert.match(marked, /actions\[0\][^:]*: .*acepted/);
  assert.match(await bad.filter({ hasText: '"id": "accepted"' }).innerText(), /states\[1\]: 'accepted' is unreachable/);
  assert.deepEqual(await axe(page), []);
  await shoot(page, 'admin-workflow-problem');
  await editor.fill(good);
  await page.getByRole('button', { name: 'Kiểm tra' }).click();
  const valid = page.getByRole('status').filter({ hasText: 'Hợp lệ' });
  await valid.waitFor();
  assert.match(await valid.innerText(), new RegExp(`Hợp lệ: ${wf.nodes.length} trạng thái, \\d+ thao tác\\. Phiên bản đang chạy là 1`));
  await page.context().close();
});

test('the days off of a year, with Tết and the national day, year by year', async () => {
  const page = await signInAt('admin');
  await page.goto(env.server.url + '/quan-tri/ngay-nghi?nam=2027');
  await until(() => page.locator('h2').first().innerText(), 'Ngày nghỉ năm 2027');
  const rows = await page.locator('table tbody').innerText();
  assert.match(rows, /06\/02\/2027\s+Thứ Bảy\s+Tết/);
  assert.match(rows, /02\/09\/2027\s+Thứ Năm\s+[^\n]*Quốc khánh/);
  assert.deepEqual(await axe(page), []);
  await shoot(page, 'admin-holidays');
  await page.getByRole('button', { name: 'Năm 2028 →' }).click();
  await until(() => page.locator('h2').first().innerText(), 'Ngày nghỉ năm 2028');
  assert.match(page.url(), /nam=2028$/);
  await page.context().close();
});

test('a procedure with its versions, the day each applies and its workflow', async () => {
  const page = await signInAt('quantri.tinh');
  await page.getByRole('link', { name: 'Thủ tục và các phiên bản' }).click();
  await until(heading(page), 'Thủ tục và các phiên bản');
  await page.getByLabel('Tên hoặc mã thủ tục').fill('ket hon');
  await page.getByRole('link', { name: 'Đăng ký kết hôn', exact: true }).click();
  await until(heading(page), 'Đăng ký kết hôn');
  const row = await page.locator('table tbody tr').first().innerText();
  assert.match(row, /^1\s+Đã công bố\s+01\/07\/2025\s+Trong ngày\s+Miễn phí\s+3\s+immediate$/);
  assert.deepEqual(await axe(page), []);
  await page.getByRole('link', { name: 'immediate' }).click();
  await until(heading(page), 'Quy trình giải quyết ngay trong ngày');
  await page.context().close();
});

test('administration is for administrators', async () => {
  const page = await signInAt('motcua.phandinhphung');
  await page.goto(env.server.url + '/quan-tri/don-vi');
  await page.getByText('Chỉ quản trị viên tỉnh hoặc hệ thống vào được mục này.').waitFor();
  assert.equal(await page.getByRole('link', { name: 'Quản trị' }).count(), 0);
  await page.context().close();
});

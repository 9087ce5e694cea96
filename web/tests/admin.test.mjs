// Administration in Chromium: the units tree with merged units and their
// successors, users and their roles and signing certificates, and the
// workflows as diagrams.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { axe, call, counterDossier, heading, serverAndBrowser, shoot, signIn, signInPage, standIn, until } from './harness.mjs';

// The province syncs to the national portal's stand-in (tests/standins/dvcqg).
const portal = standIn('dvcqg');
const env = serverAndBrowser(async () => ({
  serveArgs: ['--dvcqg-url', await portal.ready, '--dvcqg-username', 'motcua', '--dvcqg-password', 'motcua-test',
    '--dvcqg-retry-ms', '100', '--dvcqg-timeout-ms', '2000'],
}));

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
  await page.locator('tr', { hasText: 'congdan' }).getByRole('button', { name: /Sửa vai trò/ }).click();
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
  await page.locator('tr', { hasText: 'congdan' }).getByRole('button', { name: /Sửa vai trò/ }).click();
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

test("an administrator prepares a year's days-off table: checked, the changes listed, downloaded", async () => {
  const page = await signInAt('admin');
  await page.goto(env.server.url + '/quan-tri/ngay-nghi?nam=2027');
  const editor = page.getByLabel('Bảng ngày nghỉ năm 2027 (TOML)');
  await until(async () => (await editor.inputValue()).startsWith('# '), true);
  const loaded = await editor.inputValue();
  assert.match(loaded, /^year = 2027$/m);
  // Vietnamese Culture Day, planned to become a holiday, added by hand.
  const edited = loaded + '\n[[off]]\ndate = 2027-11-24\nname_vi = "Ngày Văn hóa Việt Nam"\nname_en = "Vietnamese Culture Day"\n';
  await editor.fill(edited);
  await page.getByRole('button', { name: 'Kiểm tra' }).click();
  const status = page.getByRole('status');
  await status.waitFor();
  assert.match(await status.innerText(), /Bảng hợp lệ: \d+ ngày nghỉ/);
  assert.match(await status.innerText(), /Thêm ngày nghỉ 24\/11\/2027: Ngày Văn hóa Việt Nam/);
  // The calendar in force is unchanged until the file is deployed.
  assert.doesNotMatch(await page.locator('table tbody').innerText(), /24\/11\/2027/);
  const [download] = await Promise.all([page.waitForEvent('download'),
    page.getByRole('button', { name: 'Tải tệp 2027.toml' }).click()]);
  assert.equal(download.suggestedFilename(), '2027.toml');
  assert.equal(readFileSync(await download.path(), 'utf8'), edited);

  // A date that does not exist is shown under its line.
  await editor.fill(edited.replace('date = 2027-11-24', 'date = 2027-11-31'));
  await page.getByRole('button', { name: 'Kiểm tra' }).click();
  const bad = page.locator('[role=alert] li.bad');
  await bad.waitFor();
  assert.match(await bad.innerText(), /date = 2027-11-31/);
  assert.deepEqual(await axe(page), []);
  await shoot(page, 'admin-holiday-table');
  // A year without a table starts from a template.
  await page.getByRole('button', { name: 'Năm 2028 →' }).click();
  await until(async () => (await page.getByLabel('Bảng ngày nghỉ năm 2028 (TOML)').inputValue()).includes('year = 2028'), true);
  await page.getByText('Năm này chưa có tệp data/holidays/2028.toml').waitFor();
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

// YYYY-MM-DD in Vietnam, `days` from today.
const day = (days) => new Date(Date.now() + (7 + 24 * days) * 3600e3).toISOString().slice(0, 10);
const shown = (iso) => iso.split('-').reverse().join('/');

test('an administrator publishes a new version of a procedure, seeing its problems in place, then retires it', async () => {
  const page = await signInAt('quantri.tinh');
  await page.goto(env.server.url + '/quan-tri/thu-tuc/' + encodeURIComponent('1.001702.000.00.00.H56'));
  await page.getByRole('heading', { name: 'Xuất bản phiên bản mới' }).waitFor();
  const editor = page.getByLabel('Nội dung phiên bản (JSON)');
  const version = JSON.parse(await editor.inputValue());
  // Prefilled from the version in force, from tomorrow.
  assert.equal(version.effective_from, day(1));
  assert.equal(version.name, 'Đăng ký kết hôn có yếu tố nước ngoài');
  // A mistake is shown under its line, in the text as typed.
  version.time_limit.value = -3;
  await editor.fill(JSON.stringify(version, null, 2));
  await page.getByRole('button', { name: 'Xuất bản', exact: true }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.locator('li.bad').innerText(), /"value": -3[\s\S]*time_limit\.value:/);
  assert.deepEqual(await axe(page), []);
  await shoot(page, 'admin-procedure-problem');
  version.time_limit.value = 20;
  await editor.fill(JSON.stringify(version, null, 2));
  await page.getByRole('button', { name: 'Xuất bản', exact: true }).click();
  await page.getByRole('status').filter({ hasText: `Đã xuất bản phiên bản 2, có hiệu lực từ ${shown(day(1))}.` }).waitFor();
  await until(() => page.locator('table tbody tr').count(), 2);
  assert.match(await page.locator('table tbody tr').nth(1).innerText(), /^2\s+Đã công bố\s+\S+\s+20 ngày làm việc/);

  // Retiring it: the day proposed is the first it may be, after the new
  // version starts; the day it starts is refused in words.
  const retireOn = page.getByLabel('Ngày bắt đầu không còn áp dụng');
  assert.equal(await retireOn.inputValue(), day(2));
  await retireOn.fill(day(1));
  await page.getByRole('button', { name: 'Bãi bỏ thủ tục' }).click();
  await page.getByRole('group', { name: 'Bãi bỏ thủ tục' }).getByRole('button', { name: 'Xác nhận bãi bỏ' }).click();
  assert.equal(await page.locator('#retire-date-error').innerText(),
    `Ngày bãi bỏ phải sau ngày ${shown(day(1))}, ngày phiên bản mới nhất có hiệu lực.`);
  await retireOn.fill(day(2));
  await page.getByRole('button', { name: 'Bãi bỏ thủ tục' }).click();
  await page.getByRole('group', { name: 'Bãi bỏ thủ tục' }).getByText(`từ ngày ${shown(day(2))}`).waitFor();
  await page.getByRole('button', { name: 'Xác nhận bãi bỏ' }).click();
  await page.getByRole('status').filter({ hasText: `Thủ tục đã bãi bỏ từ ngày ${shown(day(2))}.` }).waitFor();
  // Read again: nothing more to publish.
  await until(() => page.getByRole('heading', { name: 'Xuất bản phiên bản mới' }).count(), 0);
  const versions = await (await fetch(env.server.url + '/api/v1/procedures/1.001702.000.00.00.H56/versions')).json();
  assert.deepEqual(versions.items.map((v) => v.retired_on), [day(2), day(2)]);
  await page.context().close();
});

test('an administrator creates a staff account, which signs in until it is locked', async () => {
  const page = await signInAt('quantri.tinh');
  await page.goto(env.server.url + '/quan-tri/nguoi-dung');
  await page.getByRole('button', { name: 'Tạo tài khoản cán bộ' }).click();
  const form = page.getByRole('form', { name: 'Tạo tài khoản cán bộ' });
  await form.getByLabel('Tên đăng nhập').fill('motcua.babe2');
  await form.getByLabel('Họ và tên').fill('Hoàng Văn Bắc');
  await form.getByLabel('Mật khẩu ban đầu').fill('ngan');
  await form.getByLabel('Đơn vị', { exact: true }).selectOption({ label: 'Xã Ba Bể' });
  await form.getByRole('button', { name: 'Tạo tài khoản' }).click();
  assert.equal(await form.locator('#nu-password-error').innerText(), 'Mật khẩu dài từ 10 đến 128 ký tự.');
  assert.deepEqual(await axe(page), []);
  await form.getByLabel('Mật khẩu ban đầu').fill('motcua-2026-test');
  await form.getByRole('button', { name: 'Tạo tài khoản' }).click();
  await page.getByRole('status').filter({ hasText: 'Đã tạo tài khoản motcua.babe2.' }).waitFor();
  const row = page.locator('tr', { hasText: 'motcua.babe2' });
  assert.match(await row.innerText(), /Hoàng Văn Bắc\s+Cán bộ một cửa · Xã Ba Bể/);
  const login = (password) => fetch(env.server.url + '/api/v1/auth/login', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'motcua.babe2', password }),
  });
  assert.equal((await login('motcua-2026-test')).status, 200);

  await row.getByRole('button', { name: /Khóa tài khoản/ }).click();
  await page.getByRole('status').filter({ hasText: 'Đã khóa tài khoản motcua.babe2' }).waitFor();
  // The list reloads after the message shows: wait for the row to say so.
  await page.locator('tr', { hasText: 'motcua.babe2 (đã khóa)' }).waitFor();
  assert.match(await row.innerText(), /motcua\.babe2 \(đã khóa\)/);
  assert.equal((await login('motcua-2026-test')).status, 401);
  await row.getByRole('button', { name: /Mở khóa/ }).click();
  await page.getByRole('status').filter({ hasText: 'Đã mở khóa tài khoản motcua.babe2.' }).waitFor();
  assert.equal((await login('motcua-2026-test')).status, 200);
  // One's own account is not locked from here, and the page says why.
  await page.locator('tr', { hasText: 'quantri.tinh' }).getByRole('button', { name: /Khóa tài khoản/ }).click();
  await page.getByRole('alert').filter({ hasText: 'Bạn không tự khóa tài khoản của mình được' }).waitFor();
  await page.context().close();
});

test('an administrator adds a commune and records its merger into another', async () => {
  const page = await signInAt('quantri.tinh');
  await page.goto(env.server.url + '/quan-tri/don-vi');
  await page.getByRole('button', { name: 'Thêm đơn vị' }).click();
  const form = page.getByRole('form', { name: 'Thêm đơn vị' });
  await form.getByLabel('Tên đơn vị').fill('Xã Thử Nghiệm');
  await form.getByLabel('Mã định danh cơ quan').fill('000.99');
  await form.getByLabel('Ngày bắt đầu hoạt động').fill('2026-01-01');
  await form.getByRole('button', { name: 'Thêm đơn vị' }).click();
  // Every problem at once, in words.
  assert.equal(await form.locator('#nun-agency_code-error').innerText(), 'Mã định danh có dạng 000.00.21.H12 (QCVN 102:2016).');
  assert.equal(await form.locator('#nun-stats_code-error').innerText(), 'Mã này gồm đúng 5 chữ số.');
  await form.getByLabel('Mã định danh cơ quan').fill('000.99.00.H55');
  await form.getByLabel('Mã thống kê').fill('99999');
  await form.getByRole('button', { name: 'Thêm đơn vị' }).click();
  await page.getByRole('status').filter({ hasText: 'Đã thêm đơn vị Xã Thử Nghiệm.' }).waitFor();
  const unit = (name) => page.locator('li').filter({ has: page.locator(':scope > .unit-name', { hasText: name }) });
  await unit('Xã Thử Nghiệm').waitFor();

  await unit('Xã Thử Nghiệm').getByRole('button', { name: /Sáp nhập, giải thể/ }).click();
  const merge = page.getByRole('form', { name: 'Sáp nhập, giải thể: Xã Thử Nghiệm' });
  await merge.getByLabel('Xã Ba Bể').check();
  assert.deepEqual(await axe(page), []);
  await merge.getByRole('button', { name: 'Ghi nhận sáp nhập, giải thể' }).click();
  await page.getByRole('status').filter({ hasText: /^Đã ghi nhận: Xã Thử Nghiệm thôi hoạt động từ \d{2}\/\d{2}\/2026\.$/ }).waitFor();
  // The tree is read again after the change.
  await until(async () => /Đã thôi hoạt động/.test(await unit('Xã Thử Nghiệm').innerText()), true);
  const text = await unit('Xã Thử Nghiệm').innerText();
  assert.match(text, /Đã thôi hoạt động từ \d{2}\/\d{2}\/2026\./);
  assert.match(text, /Đơn vị kế thừa: Xã Ba Bể\./);
  assert.match(await unit('Xã Ba Bể').first().innerText(), /Hình thành từ: .*Xã Thử Nghiệm/);
  await shoot(page, 'admin-unit-merged');
  await page.context().close();
});

test("an administrator registers and revokes a leader's signing certificate, told plainly what is refused", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'motcua-cert-'));
  // Another leader's certificate, taken from the demo's signing file, and a
  // new one made here (DER, as a .cer file from a CA often is).
  const borrowed = join(dir, 'borrowed.pem');
  execFileSync('openssl', ['pkcs12', '-in', join(env.server.data, 'keys', 'signers', 'lanhdao.phandinhphung.p12'),
    '-clcerts', '-nokeys', '-passin', 'pass:motcua-demo-2026', '-out', borrowed]);
  const fresh = join(dir, 'moi.cer');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'k.pem'),
    '-outform', 'DER', '-out', fresh, '-days', '365', '-utf8', '-subj', '/CN=Lãnh đạo Sở Tư pháp (mới)/O=Sở Tư pháp']);
  const page = await signInAt('quantri.tinh');
  await page.goto(env.server.url + '/quan-tri/nguoi-dung');
  await page.locator('tr', { hasText: 'lanhdao.tuphap' }).getByRole('button', { name: /Chứng thư số/ }).click();
  const section = page.locator('section.card');
  await section.getByRole('heading', { name: /Chứng thư số ký kết quả của/ }).waitFor();
  // The demo registered this leader's own certificate.
  await until(async () => await section.locator('tbody tr').count(), 1);
  assert.match(await section.locator('tbody tr').first().innerText(), /Đang dùng/);

  await section.getByLabel('Hoặc dán nội dung chứng thư (PEM)').fill('không phải chứng thư');
  await section.getByRole('button', { name: 'Đăng ký chứng thư' }).click();
  await section.getByText('Không đọc được chứng thư này').waitFor();

  await section.locator('#cert-file').setInputFiles(borrowed);
  await until(async () => (await section.getByLabel('Hoặc dán nội dung chứng thư (PEM)').inputValue()).includes('BEGIN CERTIFICATE'), true);
  await section.getByRole('button', { name: 'Đăng ký chứng thư' }).click();
  await section.getByText('Chứng thư số này đã được đăng ký (mỗi chứng thư chỉ thuộc một người).').waitFor();

  await section.locator('#cert-file').setInputFiles(fresh);
  await section.getByRole('button', { name: 'Đăng ký chứng thư' }).click();
  await section.getByRole('status').filter({ hasText: 'Đã đăng ký chứng thư số của Lãnh đạo Sở Tư pháp (mới).' }).waitFor();
  await until(async () => await section.locator('tbody tr').count(), 2);
  assert.deepEqual(await axe(page), []);

  page.once('dialog', (d) => d.accept());
  await section.locator('tr', { hasText: 'Lãnh đạo Sở Tư pháp (mới)' }).getByRole('button', { name: /Thu hồi/ }).click();
  await section.getByRole('status').filter({ hasText: 'Đã thu hồi chứng thư số của Lãnh đạo Sở Tư pháp (mới).' }).waitFor();
  await until(async () => /Đã thu hồi lúc/.test(await section.locator('tr', { hasText: 'Lãnh đạo Sở Tư pháp (mới)' }).innerText()), true);
  // The leader's own certificate stays in use.
  assert.match(await section.locator('tbody tr', { hasNotText: '(mới)' }).innerText(), /Đang dùng/);
  await page.context().close();
  rmSync(dir, { recursive: true, force: true });
});

test('administration is for administrators', async () => {
  const page = await signInAt('motcua.phandinhphung');
  await page.goto(env.server.url + '/quan-tri/don-vi');
  await page.getByText('Chỉ quản trị viên tỉnh hoặc hệ thống vào được mục này.').waitFor();
  assert.equal(await page.getByRole('link', { name: 'Quản trị' }).count(), 0);
  await page.context().close();
});

test('the system administrator sees what the national portal refused, sends it again, or gives one up with a reason', async () => {
  // The portal refuses the next two records for good.
  await portal.control('POST', '/_control/faults', { mode: 'refuse', count: 2, service: 'DongBoHoSoMC' });
  const first = await counterDossier(env.server.url, 'Phạm Văn Liên Thông');
  const second = await counterDossier(env.server.url, 'Đỗ Thị Bỏ Qua');
  const admin = await signIn(env.server.url, 'admin');
  const dead = async () => (await call(env.server.url, admin, 'GET', '/api/v1/integrations/outbox?state=dead')).items.length;
  await until(dead, 2, 20000).catch(async (e) => {
    throw new Error(e.message + ': ' + JSON.stringify(await call(env.server.url, admin, 'GET', '/api/v1/integrations/outbox')) + JSON.stringify(await portal.control('GET', '/_control/state')));
  });

  const page = await signInAt('admin');
  await page.waitForURL(env.server.url + '/quan-tri/');
  await page.getByRole('link', { name: 'Liên thông với hệ thống ngoài' }).click();
  await until(heading(page), 'Liên thông với hệ thống ngoài');
  const summary = page.locator('table.outbox-summary tr', { hasText: 'Cổng Dịch vụ công quốc gia' });
  await summary.waitFor();
  assert.match(await summary.innerText(), /\t2\t/);  // given up: 2
  const row = (number) => page.locator('table.outbox tbody tr', { hasText: number });
  await row(first.number).waitFor();
  assert.match(await row(first.number).innerText(), /không có trong CSDL quốc gia/);
  assert.deepEqual(await axe(page), []);
  await shoot(page, 'admin-outbox');

  // Sent again: it leaves the list of given-up messages and reaches the portal.
  await row(first.number).getByRole('button', { name: 'Gửi lại' }).click();
  await until(() => row(first.number).count(), 0, 15000);
  await until(async () => Object.keys((await portal.control('GET', '/_control/state')).dossiers).includes(first.number), true, 15000);

  // Given up: a reason is required, and it is kept.
  await row(second.number).getByRole('button', { name: 'Bỏ qua…' }).click();
  await row(second.number).getByLabel('Lý do bỏ qua').fill('Hồ sơ đã được cán bộ nhập trực tiếp trên Cổng');
  await row(second.number).getByRole('button', { name: 'Xác nhận bỏ qua' }).click();
  await until(() => row(second.number).count(), 0);
  await page.getByLabel('Hiển thị tin').selectOption({ label: 'Đã bỏ qua' });
  await row(second.number).waitFor();
  assert.match(await row(second.number).innerText(), /Đã bỏ qua/);
  assert.equal(await row(second.number).getByRole('button').count(), 0);
  assert.deepEqual(page.errors, []);
  await page.context().close();

  // A province administrator has no such link, and the API refuses them.
  const other = await signInAt('quantri.tinh');
  await other.waitForURL(env.server.url + '/quan-tri/');
  assert.equal(await other.getByRole('link', { name: 'Liên thông với hệ thống ngoài' }).count(), 0);
  await other.context().close();
  const provinceAdmin = await signIn(env.server.url, 'quantri.tinh');
  await assert.rejects(call(env.server.url, provinceAdmin, 'GET', '/api/v1/integrations/outbox'), /403/);
});

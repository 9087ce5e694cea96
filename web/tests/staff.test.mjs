// The staff workspace in Chromium: an officer signs in at the portal, lands
// in their inbox with its counts and deadline colours, and searches it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { axe, call, fillSignIn, counterDossier, mailbox, shoot, signIn, signInPage, heading, standIn, until, serverAndBrowser } from './harness.mjs';

// Notices go out by e-mail (a real SMTP server, which refuses `bad…@`) and
// by SMS (the gateway's stand-in), at any hour.
const mail = mailbox();
const sms = standIn('sms');
const env = serverAndBrowser(async () => ({
  dossiers: 800,
  serveArgs: ['--smtp-url', await mail.ready, '--sms-url', await sms.ready, '--sms-token', 'sms-test-token',
    '--notify-quiet-hours', 'none'],
}));

// Signs in on `page` through the portal (a context of the test's own making).
const signInAt = (page, username, next = '') => fillSignIn(page, env, username, next);

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
  // A session that ended meanwhile is said in words, not in the API's English.
  await page.goto(`${env.server.url}/can-bo/ho-so/${d.id}`);
  await page.getByRole('button', { name: 'Tiếp nhận hồ sơ', exact: true }).click();
  await context.clearCookies();
  await page.getByRole('button', { name: 'Xác nhận: Tiếp nhận hồ sơ' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.equal(await alert.innerText(), 'Phiên đăng nhập đã hết. Vui lòng đăng nhập lại.');
  await context.close();
});

// The page reads the working time left in the server's office day
// (working_day_seconds), not in a day of its own: 7.5 hours with the default
// hours, and 6 when the server says so (the answer rewritten as a server with
// 08:00-11:00 and 13:00-16:00 would give it).
test('the staff dossier shows the working time left in the server\'s office days', async () => {
  const d = await counterDossier(env.server.url, 'Phạm Văn Đức');
  await call(env.server.url, d.officer, 'POST', `/api/v1/dossiers/${d.id}/actions/accept`, {});
  const api = await call(env.server.url, d.officer, 'GET', `/api/v1/dossiers/${d.id}`);
  assert.equal(api.working_day_seconds, 7.5 * 3600);
  assert.ok(api.working_seconds_left > 8 * 3600, 'a dossier just accepted has more than a day left');
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signInAt(page, 'motcua.phandinhphung', `/can-bo/ho-so/${d.id}`);
  const left = page.locator('dl.facts > div').filter({ hasText: 'Thời gian còn lại' }).locator('dd');
  // "còn D ngày H giờ làm việc" or "còn D ngày làm việc": D whole office days and H hours of the next.
  const reading = async (dayHours) => {
    const text = await left.innerText();
    const m = text.match(/^còn (\d+) ngày(?: ([\d,]+) giờ)? làm việc$/);
    assert.ok(m, text);
    const hours = Number((m[2] || '0').replace(',', '.'));
    assert.ok(hours < dayHours, text);
    const total = Number(m[1]) * dayHours + hours;
    assert.ok(Math.abs(total - api.working_seconds_left / 3600) < 0.2, `${text} for ${api.working_seconds_left} s`);
  };
  await reading(7.5);
  await page.route(`**/api/v1/dossiers/${d.id}`, async (route) => {
    const answer = await route.fetch();
    route.fulfill({ response: answer, json: { ...(await answer.json()), working_day_seconds: 6 * 3600 } });
  });
  await page.reload();
  await left.waitFor();
  await reading(6);
  await context.close();
});

test('the workspace sends a visitor to sign in first, and a citizen is told it is for staff', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(env.server.url + '/can-bo/');
  await page.waitForURL(/\/dang-nhap\?tiep=%2Fcan-bo%2F$/);
  await signInAt(page, 'motcua.tinh', '/can-bo/');
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

test('a counter officer records dossiers one after another with the keyboard alone', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signInAt(page, 'motcua.phandinhphung');
  await page.waitForURL(env.server.url + '/can-bo/');
  await page.getByRole('link', { name: 'Tiếp nhận hồ sơ' }).click();
  await until(heading(page), 'Tiếp nhận hồ sơ');
  const numbers = [];
  const people = [['Hoàng Văn Em', '001088000001', '0911000001'], ['Vũ Thị Gấm', '001088000002', '0911000002'],
    ['Đinh Công Hải', '001088000003', '0911000003']];
  // The first: the procedure is picked from the list with the arrow keys.
  await page.locator('#procedure').focus();
  await page.keyboard.type('xac nhan tinh trang hon nhan');
  await page.locator('#procedure-options li').first().waitFor();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await until(() => page.locator('#procedure').inputValue(), 'Cấp Giấy xác nhận tình trạng hôn nhân');
  for (const [name, id, phone] of people) {
    // Focus is on the name: after picking, then after each recording.
    await until(() => page.evaluate(() => document.activeElement.id), 'full_name');
    await page.keyboard.type(name);
    await page.keyboard.press('Tab');
    await page.keyboard.type(id);
    await page.keyboard.press('Tab');
    await page.keyboard.type(phone);
    await page.keyboard.press('Tab');  // email
    await page.keyboard.press('Tab');  // address
    await page.keyboard.press('Tab');  // consent
    await page.keyboard.press('Space');
    await page.keyboard.press('Enter');
    const receipt = page.getByRole('status').filter({ hasText: name });
    await receipt.waitFor();
    const n = (await receipt.locator('h2').innerText()).match(/(000\.51\.00\.H55-\d{6}-\d{4})$/)[1];
    assert.match(await receipt.innerText(), /Mã tra cứu[^\n]*\s+[A-Z2-9]{8}/);
    numbers.push(n);
  }
  // Numbered one after another, without gaps, and all in the officer's inbox.
  const seq = numbers.map((n) => Number(n.slice(-4)));
  assert.deepEqual(seq, [seq[0], seq[0] + 1, seq[0] + 2]);
  await shoot(page, 'staff-intake');
  // The last receipt printed as the citizen takes it home: form 01, read back by poppler.
  const [download] = await Promise.all([page.waitForEvent('download'),
    page.getByRole('button', { name: 'Tải giấy tiếp nhận (PDF)' }).click()]);
  assert.equal(download.suggestedFilename(), `giay-tiep-nhan-${numbers[2]}.pdf`);
  const printed = execFileSync('pdftotext', [await download.path(), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  assert.match(printed, /GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ/);
  assert.ok(printed.includes(`Mã hồ sơ: ${numbers[2]}`), printed);
  assert.match(printed, /Tiếp nhận hồ sơ của: Đinh Công Hải/);
  const officer = await signIn(env.server.url, 'motcua.phandinhphung');
  const inbox = await call(env.server.url, officer, 'GET', '/api/v1/inbox?limit=100');
  for (const n of numbers) assert.ok(inbox.items.some((d) => d.number === n && d.channel === 1), n);
  // Nothing picked, nothing typed: every missing thing is named.
  await page.locator('#procedure').fill('');
  await page.getByRole('button', { name: 'Ghi nhận hồ sơ' }).click();
  await page.locator('#procedure-error').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'procedure');
  assert.equal(await page.locator('#consent-error').innerText(), 'Cần hỏi và ghi nhận sự đồng ý của công dân.');
  assert.deepEqual(await axe(page), []);
  // The list of procedures, open, passes too.
  await page.keyboard.type('khai sinh');
  await page.locator('#procedure-options li').first().waitFor();
  await page.keyboard.press('ArrowDown');
  assert.deepEqual(await axe(page), []);
  await context.close();
});

test('a leader follows the unit\'s figures and its 766 index, and they move when a dossier comes in', async () => {
  const leader = await signIn(env.server.url, 'lanhdao.phandinhphung');
  const unit = leader.user.roles.find((r) => r.role === 'unit_leader').unit_id;
  const vn = new Date(Date.now() + 7 * 3600e3);
  const month = `${vn.getUTCFullYear()}-${String(vn.getUTCMonth() + 1).padStart(2, '0')}`;
  const figures = () => call(env.server.url, leader, 'GET', `/api/v1/statistics?unit=${unit}&period=${month}`);
  const before = await figures();
  assert.ok(before.totals.received > 0, 'the seeded province has dossiers this month');

  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signInAt(page, 'lanhdao.phandinhphung');
  await page.waitForURL(env.server.url + '/can-bo/');
  await page.getByRole('link', { name: 'Thống kê' }).click();
  await until(heading(page), 'Thống kê giải quyết hồ sơ');
  const facts = page.locator('dl.facts');
  await facts.waitFor();
  const n = (v) => v.toLocaleString('vi-VN');
  const shown = await facts.innerText();
  assert.match(shown, new RegExp(`Tiếp nhận trong kỳ\\s+${n(before.totals.received)} \\(trực tuyến`));
  assert.match(shown, new RegExp(`Đang giải quyết, quá hạn\\s+${n(before.totals.overdue)}`));
  assert.match(shown, new RegExp(`Đã trả kết quả\\s+${n(before.totals.returned)}`));
  // The index: what is measured has its points, what motcua does not hold says so.
  const table = page.locator('table.index766');
  assert.match(await table.locator('tr', { hasText: 'Thủ tục hành chính được công bố đúng hạn' }).innerText(), /Hệ thống chưa có dữ liệu/);
  // Sync to the national portal is measured (off in this province: nothing acknowledged, 0 of 6).
  assert.match(await table.locator('tr', { hasText: 'Hồ sơ được đồng bộ lên Cổng Dịch vụ công quốc gia' }).innerText(),
    new RegExp(`0 / ${n(before.totals.received)}\\s+0/6$`, 'm'));
  assert.match(await table.locator('tr', { hasText: 'Hồ sơ được giải quyết trước hạn, đúng hạn' }).innerText(), /\/20$/m);
  assert.match(await page.locator('main').innerText(), /Chưa xếp loại/);
  await shoot(page, 'staff-statistics');
  for (const v of await axe(page)) assert.fail(`statistics: ${v}`);
  // A dossier received at the counter shows without reloading the page.
  await counterDossier(env.server.url, 'Lê Thị Thống Kê');
  const received = new RegExp(`Tiếp nhận trong kỳ\\s+${n(before.totals.received + 1)} \\(`);
  await until(async () => received.test(await facts.innerText()), true, 25000);
  // The report periods of Decree 09 are there to choose.
  const options = await page.getByLabel('Kỳ').locator('option').allInnerTexts();
  assert.ok(options.some((o) => /^Kỳ báo cáo bc-\d{4}-\d{2}$/.test(o)), options.join(', '));
  await context.close();
});

test('the province\'s leader ranks its units, follows the months, drills down to a ward and a procedure, and watches the overdue dossiers', async () => {
  const leader = await signIn(env.server.url, 'lanhdao.tinh');
  const province = leader.user.roles.find((r) => r.role === 'unit_leader').unit_id;
  const vn = new Date(Date.now() + 7 * 3600e3);
  const month = `${vn.getUTCFullYear()}-${String(vn.getUTCMonth() + 1).padStart(2, '0')}`;
  const get = (path) => call(env.server.url, leader, 'GET', path);
  const ranking = await get(`/api/v1/statistics?unit=${province}&period=${month}&units=of_the_time&by=unit`);
  const months = await get(`/api/v1/statistics?unit=${province}&period=${vn.getUTCFullYear()}&units=of_the_time&by=month`);
  assert.ok(ranking.rows.length > 1, 'the province has units below it');
  const n = (v) => v.toLocaleString('vi-VN');

  const page = await signInPage(env, 'lanhdao.tinh', { next: '/can-bo/thong-ke' });
  await until(heading(page), 'Thống kê giải quyết hồ sơ');
  await page.locator('table.ranking').waitFor();
  const facts = await page.locator('dl.facts').innerText();
  const t = ranking.totals;
  assert.match(facts, new RegExp(`Tiếp nhận trong kỳ\\s+${n(t.received)} \\(`));
  assert.match(facts, new RegExp(`Tiếp nhận trực tuyến\\s+${n(t.received_online)} trên ${n(t.received)}`));
  assert.match(facts, new RegExp(`Giải quyết có kết quả điện tử \\(đã ký số\\)\\s+${n(t.decided_electronic)} trên ${n(t.decided_accepted)}`));
  // Fees paid online: motcua takes no payments, so it says it holds no data.
  assert.match(facts, /Thanh toán phí, lệ phí trực tuyến\s+Hệ thống chưa có dữ liệu/);
  // The charts are drawn (Chart.js, loaded with the page's first chart).
  await page.waitForFunction(() => [...document.querySelectorAll('.chart canvas')].every((c) => c.width > 0));
  assert.equal(await page.locator('.chart canvas').count(), 2);
  assert.equal(await page.getByRole('img', { name: /Biểu đồ điểm của năm nhóm chỉ số/ }).count(), 1);
  // The months' trend, its table with one row a month, as the API counts them.
  await page.getByText('Bảng số liệu theo tháng').click();
  const trend = page.locator('table.trend tbody tr');
  assert.equal(await trend.count(), months.rows.length);
  const last = months.rows[months.rows.length - 1];
  assert.match(await trend.last().innerText(), new RegExp(`${last.name}\\s+${n(last.totals.received)}\\s+${n(last.totals.decided)}`));
  // The ranking: every unit below, the highest index first.
  const ranked = page.locator('table.ranking tbody tr');
  assert.equal(await ranked.count(), ranking.rows.length);
  const scores = [];
  for (const row of await ranked.all()) scores.push(Number((await row.locator('td').nth(1).innerText()).replace(',', '.')));
  assert.deepEqual(scores, [...scores].sort((a, b) => b - a));
  for (const v of await axe(page)) assert.fail(`dashboard: ${v}`);
  await shoot(page, 'staff-dashboard-province');

  // Down to the ward: its figures, and the way back up.
  const ward = ranking.rows.find((r) => r.name === 'Phường Phan Đình Phùng');
  await page.locator('table.ranking').getByRole('link', { name: ward.name }).click();
  await page.waitForURL(new RegExp(`don-vi=${ward.unit_id}`));
  await until(async () => (await page.locator('nav.trail').innerText().catch(() => '')).replace(/\s+/g, ' '),
    'Tỉnh Thái Nguyên › Phường Phan Đình Phùng');
  await until(async () => new RegExp(`Tiếp nhận trong kỳ\\s+${n(ward.totals.received)} \\(`).test(await page.locator('dl.facts').innerText()), true);
  // The ward's overdue dossiers, as the API lists them, each with its step and who handed it there.
  const watch = await get(`/api/v1/dossiers?unit=${ward.unit_id}&due=overdue&limit=20`);
  assert.ok(watch.items.length > 0, 'six weeks of seeded dossiers leave some overdue');
  const rows = page.locator('table.watch tbody tr');
  await until(() => rows.count(), watch.items.length);
  const first = watch.items[0];
  const cells = await rows.first().locator('th, td').allInnerTexts();
  assert.equal(cells[0], first.number);
  assert.match(cells[2], new RegExp(first.step.unit.name));
  assert.equal(cells[3], first.step.handed_by ? first.step.handed_by.name : '–');
  assert.match(await page.getByRole('button', { name: /^Đã quá hạn/ }).innerText(), new RegExp(`\\(${n(watch.counts.overdue)}\\)`));
  // Those nearing their appointment.
  const nearing = await get(`/api/v1/dossiers?unit=${ward.unit_id}&due=nearing&limit=20`);
  await page.getByRole('button', { name: /^Sắp đến hạn/ }).click();
  await until(async () => (nearing.items.length === 0
    ? await page.getByText('Không có hồ sơ nào trong danh sách này.').count()
    : await rows.count()), nearing.items.length || 1);
  // A procedure: the list keeps to its dossiers.
  await page.getByRole('button', { name: /^Đã quá hạn/ }).click();
  const procedures = await get(`/api/v1/statistics?unit=${ward.unit_id}&period=${month}&units=of_the_time&by=procedure`);
  const busiest = procedures.rows.filter((r) => r.totals.overdue > 0).sort((a, b) => b.totals.received - a.totals.received)[0]
    || procedures.rows[0];
  await page.locator('table.procedures').getByRole('button', { name: busiest.name, exact: true }).click();
  await page.waitForURL(new RegExp(`thu-tuc=${busiest.procedure_code.replace(/\./g, '\\.')}`));
  const only = await get(`/api/v1/dossiers?unit=${ward.unit_id}&due=overdue&limit=20&procedure_code=${busiest.procedure_code}`);
  await page.getByText(`Chỉ hồ sơ của thủ tục ${busiest.name}.`).waitFor();
  await until(async () => (only.items.length === 0
    ? await page.getByText('Không có hồ sơ nào trong danh sách này.').count()
    : await rows.count()), only.items.length || 1);
  for (const v of await axe(page)) assert.fail(`dashboard of a ward: ${v}`);
  await shoot(page, 'staff-dashboard-ward');
  // And down to a dossier.
  if (only.items.length > 0) {
    await rows.first().getByRole('link', { name: only.items[0].number }).click();
    await page.waitForURL(`${env.server.url}/can-bo/ho-so/${only.items[0].id}`);
    await page.getByText(only.items[0].number).first().waitFor();
  }
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a leader prepares the Decree 09 report of the report month by field, and downloads it as Excel and CSV', async () => {
  const leader = await signIn(env.server.url, 'lanhdao.tinh');
  const province = leader.user.roles.find((r) => r.role === 'unit_leader').unit_id;
  const page = await signInPage(env, 'lanhdao.tinh', { next: '/can-bo/thong-ke' });
  await page.getByRole('link', { name: 'Lập báo cáo định kỳ của đơn vị (Nghị định 09/2019/NĐ-CP)' }).click();
  await until(heading(page), 'Báo cáo tình hình, kết quả giải quyết thủ tục hành chính');
  await page.locator('table.report09').waitFor();
  const period = await page.getByLabel('Kỳ báo cáo').inputValue();
  assert.match(period, /^bc-\d{4}-\d{2}$/);
  const report = await call(env.server.url, leader, 'GET', `/api/v1/reports/decree09?unit=${province}&period=${period}`);
  assert.ok(report.rows.length > 0, 'the seeded dossiers fall in fields');
  // The official column groups over their columns (a group of one column of its
  // own name down both header rows), a row a field, and the total.
  const head = page.locator('table.report09 thead tr');
  const groups = [...new Set(report.columns.map((c) => c.group))];
  const alone = (g) => report.columns.filter((c) => c.group === g).map((c) => c.name).join() === g;
  assert.deepEqual((await head.first().locator('th').allInnerTexts()).slice(2), groups);
  assert.deepEqual(await head.nth(1).locator('th').allInnerTexts(),
    report.columns.filter((c) => !alone(c.group)).map((c) => c.name));
  assert.ok(groups.some(alone), 'returned or withdrawn is a group of its own');
  const body = page.locator('table.report09 tbody tr');
  assert.equal(await body.count(), report.rows.length);
  const n = (v) => v.toLocaleString('vi-VN');
  assert.deepEqual((await body.first().locator('td').allInnerTexts()).slice(1), report.columns.map((c) => n(report.rows[0].values[c.key])));
  const total = await page.locator('table.report09 tfoot tr').locator('th, td').allInnerTexts();
  assert.equal(total[1], 'Tổng cộng');
  assert.deepEqual(total.slice(2), report.columns.map((c) => n(report.total[c.key])));
  for (const v of await axe(page)) assert.fail(`report: ${v}`);
  await shoot(page, 'staff-report09');
  // The files, named after the agency and the period.
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Tải báo cáo (Excel)' }).click()]);
  assert.equal(xlsx.suggestedFilename(), report.xlsx);
  const sheet = execFileSync('unzip', ['-p', await xlsx.path(), 'xl/sharedStrings.xml'], { encoding: 'utf8' });
  assert.match(sheet, /BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH/);
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Tải báo cáo (CSV)' }).click()]);
  assert.equal(csv.suggestedFilename(), report.csv);
  const lines = readFileSync(await csv.path(), 'utf8').trim().split(/\r?\n/);
  assert.equal(lines.length, 1 + report.rows.length + 1);
  assert.match(lines[lines.length - 1], /Tổng cộng/);
  // Other periods, quarterly and six-monthly: the URL keeps the choice.
  for (const [group, shape] of [['Báo cáo quý', /^bc-\d{4}-Q[1-4]$/], ['Báo cáo 6 tháng', /^bc-\d{4}-H[12]$/]]) {
    const chosen = await page.getByLabel('Kỳ báo cáo').locator(`optgroup[label="${group}"] option`).first().getAttribute('value');
    assert.match(chosen, shape);
    await page.getByLabel('Kỳ báo cáo').selectOption(chosen);
    await page.waitForURL(new RegExp(`ky=${chosen}`));
    const other = await call(env.server.url, leader, 'GET', `/api/v1/reports/decree09?unit=${province}&period=${chosen}`);
    await until(async () => (await page.locator('p.meta').first().innerText().catch(() => '')).includes(other.period.name), true);
    await until(async () => (await page.locator('table.report09 tfoot td').last().innerText().catch(() => '')),
      n(other.total[other.columns[other.columns.length - 1].key]));
  }
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

// A dossier's notices once none waits any more (the senders run beside the
// request that wrote them).
async function settledNotices(who, id, count) {
  let answer;
  await until(async () => {
    answer = await call(env.server.url, who, 'GET', `/api/v1/dossiers/${id}/notifications`);
    return answer.notices.length >= count && answer.notices.every((n) => n.state !== 'pending');
  }, true);
  return answer;
}

// What a row of a definition list says ("Thư điện tử" -> "Bật, gửi đến ...").
const fact = (scope, term) => scope.locator('dl.facts > div').filter({ has: scope.page().locator('dt', { hasText: term }) })
  .locator('dd');

test('the staff dossier shows the notices to the citizen, a refused address in words, and records the citizen\'s choice', async () => {
  const d = await counterDossier(env.server.url, 'Ngô Thị Lan', { email: 'bad.lan@example.com' });
  await call(env.server.url, d.officer, 'POST', `/api/v1/dossiers/${d.id}/actions/accept`, {});
  const api = await settledNotices(d.officer, d.id, 2);
  assert.deepEqual(api.channels, ['email', 'sms']);
  const email = api.notices.find((n) => n.destination === 'email');
  const text = api.notices.find((n) => n.destination === 'sms');
  assert.equal(email.state, 'dead');
  assert.match(email.last_error, /SMTP 550/);
  assert.equal(text.state, 'delivered');

  const page = await signInPage(env, 'motcua.phandinhphung', { next: `/can-bo/ho-so/${d.id}` });
  await until(heading(page), `Hồ sơ ${d.number}`);
  const section = page.locator('section', { has: page.getByRole('heading', { name: 'Thông báo cho công dân' }) });
  await section.locator('table.notices').waitFor();
  assert.match(await section.innerText(), /Máy chủ gửi thông báo qua: Thư điện tử, SMS\./);
  // The channels in force: the defaults, to the masked contacts.
  assert.equal(await fact(section, 'Thư điện tử').innerText(), `Bật, gửi đến ${api.contacts.email}`);
  assert.equal(await fact(section, 'Điện thoại (Zalo, SMS)').innerText(), `Bật, gửi đến ${api.contacts.phone}`);
  assert.equal(await fact(section, 'Ngôn ngữ của thông báo').innerText(), 'Tiếng Việt');
  assert.equal(await fact(section, 'Tình trạng').innerText(), 'Đang gửi thông báo');
  assert.match(await fact(section, 'Người chọn').innerText(), /^Mặc định/);
  // The notices, newest first: the text message sent, the e-mail refused,
  // marked, in words and in the relay's own.
  const rows = section.locator('table.notices tbody tr');
  assert.equal(await rows.count(), 2);
  const newestFirst = [...api.notices].sort((a, b) => (a.created_at === b.created_at ? b.id - a.id : a.created_at < b.created_at ? 1 : -1));
  for (const [i, n] of newestFirst.entries()) {
    const cells = (await rows.nth(i).locator('td').allInnerTexts()).map((c) => c.replace(/\s+/g, ' ').trim());
    assert.deepEqual(cells.slice(1, 4), ['Đã tiếp nhận hồ sơ', n === email ? 'Thư điện tử' : 'SMS', n.to]);
    if (n === email) {
      assert.match(cells[4], /^Không gửi được: Địa chỉ bị từ chối Nhà cung cấp trả lời: refused: SMTP 550/);
      assert.equal(await rows.nth(i).getAttribute('class'), 'dead');
    } else {
      assert.match(cells[4], /^Đã gửi \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
      assert.equal(await rows.nth(i).getAttribute('class'), null);
    }
  }
  for (const v of await axe(page)) assert.fail(`dossier with notices: ${v}`);
  await shoot(page, 'staff-dossier-notices');

  // The citizen asks at the counter: no more text messages, and in English.
  await section.getByLabel('Gửi qua Zalo, hoặc tin nhắn SMS nếu số điện thoại không dùng Zalo').uncheck();
  await section.getByLabel('Ngôn ngữ của thông báo').selectOption({ label: 'Tiếng Anh' });
  await section.getByRole('button', { name: 'Lưu lựa chọn' }).click();
  await section.getByRole('status').filter({ hasText: 'Đã lưu lựa chọn nhận thông báo.' }).waitFor();
  assert.equal(await fact(section, 'Điện thoại (Zalo, SMS)').innerText(), 'Tắt');
  // It survives a reload: read back from the server.
  await page.reload();
  await section.locator('table.notices').waitFor();
  assert.equal(await fact(section, 'Điện thoại (Zalo, SMS)').innerText(), 'Tắt');
  assert.equal(await fact(section, 'Thư điện tử').innerText(), `Bật, gửi đến ${api.contacts.email}`);
  assert.equal(await fact(section, 'Ngôn ngữ của thông báo').innerText(), 'Tiếng Anh');
  assert.match(await fact(section, 'Người chọn').innerText(), /^Bạn, lúc \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
  assert.equal(await section.getByLabel('Gửi qua Zalo, hoặc tin nhắn SMS nếu số điện thoại không dùng Zalo').isChecked(), false);
  assert.equal(await section.getByLabel('Gửi thư điện tử').isChecked(), true);
  assert.equal(await section.getByLabel('Ngôn ngữ của thông báo').inputValue(), 'en');
  const after = await call(env.server.url, d.officer, 'GET', `/api/v1/dossiers/${d.id}/notifications`);
  assert.deepEqual([after.preferences.phone, after.preferences.language, after.preferences.updated_by],
    [false, 'en', `staff:${d.officer.user.id}`]);
  // In English, the notices' words follow the switch.
  await page.getByRole('button', { name: 'Switch to English' }).click();
  await page.getByRole('heading', { name: 'Notices to the citizen' }).waitFor();
  assert.match(await page.locator('table.notices tbody tr.dead').innerText(), /Not sent: address refused/);
  await page.getByRole('button', { name: 'Chuyển sang tiếng Việt' }).click();
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the stop link of an e-mail stops nothing until its button is pressed, and the officer sees who stopped', async () => {
  const d = await counterDossier(env.server.url, 'Trần Văn Bình', { email: 'tran.binh@example.com' });
  await call(env.server.url, d.officer, 'POST', `/api/v1/dossiers/${d.id}/actions/accept`, {});
  let message;
  await until(() => !!(message = mail.messages().find((m) => m.rcpt_tos.includes('tran.binh@example.com'))), true);
  const href = message.headers['List-Unsubscribe'].replace(/^<|>$/g, '');
  const link = new URL(href);
  assert.equal(link.pathname, '/ngung-thong-bao');
  assert.equal(link.searchParams.get('so'), d.number);
  assert.ok(message.text.includes(href), 'the body carries the same link');

  // Opened as a mail scanner would: nothing is stopped.
  const context = await env.browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto(env.server.url + link.pathname + link.search, { waitUntil: 'networkidle' });
  await until(heading(page), 'Ngừng nhận thông báo');
  assert.match(await page.locator('main').innerText(), new RegExp(`về hồ sơ ${d.number.replace(/\./g, '\\.')}\\?`));
  const notices = () => call(env.server.url, d.officer, 'GET', `/api/v1/dossiers/${d.id}/notifications`);
  assert.equal((await notices()).preferences.stopped_at, null);
  for (const v of await axe(page)) assert.fail(`stop page: ${v}`);
  // The citizen presses the button.
  await page.getByRole('button', { name: 'Ngừng nhận thông báo' }).click();
  const done = page.getByRole('status');
  await done.waitFor();
  assert.match(await done.innerText(), new RegExp(`^Đã ngừng gửi thông báo về hồ sơ ${d.number.replace(/\./g, '\\.')}\\.`));
  assert.equal(await page.getByRole('button', { name: 'Ngừng nhận thông báo' }).count(), 0);
  await shoot(page, 'citizen-stop-notices');
  const stopped = await notices();
  assert.ok(stopped.preferences.stopped_at);
  assert.equal(stopped.preferences.updated_by, 'link');
  await context.close();

  // The officer's page says so, and who did it.
  const officer = await signInPage(env, 'motcua.phandinhphung', { next: `/can-bo/ho-so/${d.id}` });
  const section = officer.locator('section', { has: officer.getByRole('heading', { name: 'Thông báo cho công dân' }) });
  await section.locator('dl.facts').waitFor();
  assert.match(await fact(section, 'Tình trạng').innerText(), /^Đã ngừng gửi từ \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
  assert.match(await fact(section, 'Người chọn').innerText(), /^Công dân, bằng liên kết ngừng nhận trong thông báo, lúc /);
  assert.equal(await section.getByLabel('Ngừng mọi thông báo về hồ sơ này').isChecked(), true);
  await officer.context().close();
});

// A small but real PDF: the server judges files by their content.
const pdf = (text) => Buffer.from(`%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\n% ${text}\ntrailer<</Root 1 0 R>>\n%%EOF\n`);

test('a citizen chooses on their own dossier\'s page how to be told, and stops the notices', async () => {
  // The citizen submits online, with an e-mail address, and the officer accepts.
  const citizen = await signIn(env.server.url, 'congdan');
  const code = '1.004873.000.00.00.H56';
  const procedure = await (await fetch(`${env.server.url}/api/v1/procedures/${code}`)).json();
  const units = await (await fetch(env.server.url + '/api/v1/units?kind=commune')).json();
  const files = [];
  for (const c of procedure.components.filter((x) => x.required !== false)) {
    const res = await fetch(env.server.url + '/api/v1/attachments', {
      method: 'POST', body: pdf(c.code),
      headers: { 'content-type': 'application/pdf', 'x-file-name': c.code + '.pdf', cookie: citizen.cookie, 'x-csrf-token': citizen.csrf },
    });
    assert.ok(res.ok, `upload: ${res.status}`);
    files.push({ attachment_id: (await res.json()).id, component_code: c.code });
  }
  const r = await call(env.server.url, citizen, 'POST', '/api/v1/dossiers', {
    procedure_code: code, unit_id: units.items.find((u) => u.name === 'Phường Phan Đình Phùng').id, consent: true,
    applicant: { full_name: 'Đặng Thu Hà', id_number: '001099054321', phone: '0987000111', email: 'thu.ha@example.com' }, files,
  });
  const id = r.dossier.id;
  const officer = await signIn(env.server.url, 'motcua.phandinhphung');
  await call(env.server.url, officer, 'POST', `/api/v1/dossiers/${id}/actions/accept`, {});

  const page = await signInPage(env, 'congdan', { viewport: { width: 390, height: 844 }, next: `/ho-so/${id}` });
  const section = page.locator('section', { has: page.getByRole('heading', { name: 'Nhận thông báo về hồ sơ' }) });
  await section.waitFor();
  assert.match(await section.innerText(), /Đến th\*+@example\.com/);
  assert.equal(await section.getByLabel('Gửi thư điện tử').isChecked(), true);
  await section.getByLabel('Gửi thư điện tử').uncheck();
  await section.getByLabel('Ngừng mọi thông báo về hồ sơ này').check();
  await section.getByRole('button', { name: 'Lưu lựa chọn' }).click();
  await section.getByRole('status').filter({ hasText: 'Đã lưu lựa chọn nhận thông báo.' }).waitFor();
  for (const v of await axe(page)) assert.fail(`citizen's dossier with notices: ${v}`);
  await page.reload();
  await section.waitFor();
  assert.match(await section.locator('.note.warn').innerText(), /^Bạn đã ngừng nhận thông báo về hồ sơ này từ \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}\.$/);
  assert.equal(await section.getByLabel('Ngừng mọi thông báo về hồ sơ này').isChecked(), true);
  assert.equal(await section.getByLabel('Gửi thư điện tử').isChecked(), false);
  const prefs = (await call(env.server.url, officer, 'GET', `/api/v1/dossiers/${id}/notifications`)).preferences;
  assert.deepEqual([prefs.email, !!prefs.stopped_at, prefs.updated_by], [false, true, 'citizen']);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('an officer asks for the daily digest: a bad address is refused next to the field, and the choice survives a reload', async () => {
  const page = await signInPage(env, 'chuyenvien.phandinhphung', { next: '/can-bo/' });
  await page.getByRole('link', { name: 'Thư tổng hợp' }).click();
  await page.waitForURL(env.server.url + '/can-bo/thong-bao');
  await until(heading(page), 'Thư tổng hợp hằng ngày');
  const email = page.getByLabel('Địa chỉ thư điện tử');
  await email.waitFor();
  assert.equal(await email.inputValue(), '');
  assert.equal(await page.getByLabel('Nhận thư tổng hợp hằng ngày').isChecked(), false);
  // Not an address: the server's refusal, in words, next to the field, and focus there.
  await email.fill('chuyenvien.pdp');
  await page.getByLabel('Nhận thư tổng hợp hằng ngày').check();
  await page.getByRole('button', { name: 'Lưu', exact: true }).click();
  await page.locator('#digest-email-error').waitFor();
  assert.equal(await page.locator('#digest-email-error').innerText(), 'Địa chỉ thư điện tử chưa đúng, ví dụ: ten.canbo@thainguyen.gov.vn');
  assert.equal(await email.getAttribute('aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'digest-email');
  assert.equal(await page.getByRole('alert').innerText(), 'Vui lòng sửa các mục được đánh dấu.');
  for (const v of await axe(page)) assert.fail(`digest with an error: ${v}`);
  await shoot(page, 'staff-digest-error');
  // None at all, with the digest asked for.
  await email.fill('');
  assert.equal(await page.locator('#digest-email-error').count(), 0, 'the error goes as the field changes');
  await page.getByRole('button', { name: 'Lưu', exact: true }).click();
  await until(() => page.locator('#digest-email-error').innerText().catch(() => ''), 'Nhập địa chỉ thư điện tử để nhận thư tổng hợp.');
  // A good one, in English.
  await email.fill('chuyenvien.pdp@thainguyen.gov.vn');
  await page.getByLabel('Ngôn ngữ của thư').selectOption({ label: 'Tiếng Anh' });
  await page.getByRole('button', { name: 'Lưu', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Đã lưu. Thư tổng hợp sẽ gửi đến chuyenvien.pdp@thainguyen.gov.vn.' }).waitFor();
  assert.equal(await page.locator('#digest-email-error').count(), 0);
  assert.equal(await page.getByRole('alert').count(), 0);
  // Read back after a reload.
  await page.reload();
  await until(() => email.inputValue().catch(() => ''), 'chuyenvien.pdp@thainguyen.gov.vn');
  assert.equal(await page.getByLabel('Nhận thư tổng hợp hằng ngày').isChecked(), true);
  assert.equal(await page.getByLabel('Ngôn ngữ của thư').inputValue(), 'en');
  assert.match(await page.locator('main').innerText(), /Cập nhật lần cuối: \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
  const specialist = await signIn(env.server.url, 'chuyenvien.phandinhphung');
  const saved = await call(env.server.url, specialist, 'GET', '/api/v1/account/notifications');
  assert.deepEqual([saved.email, saved.daily_digest, saved.language], ['chuyenvien.pdp@thainguyen.gov.vn', true, 'en']);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});


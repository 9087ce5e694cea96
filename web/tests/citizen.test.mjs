// The citizen portal in Chromium against the real motcua: finding a
// procedure as one types, reading it, the language switch, looking a dossier
// up by its receipt's QR code or by hand, registering and signing in.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { axe, call, counterDossier, shoot, heading, until, serverAndBrowser } from './harness.mjs';

const env = serverAndBrowser();

async function newPage(options = {}) {
  const context = await env.browser.newContext({ viewport: { width: 390, height: 844 }, ...options });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.errors = errors;
  return page;
}

test('a citizen finds a procedure typing without diacritics and reads what to bring', async () => {
  const page = await newPage();
  await page.goto(env.server.url + '/');
  await until(heading(page), 'Tìm thủ tục hành chính');
  await page.getByLabel('Tên hoặc mã thủ tục').pressSequentially('dang ky ket hon', { delay: 30 });
  const results = page.locator('ul.procedures > li');
  await page.waitForFunction(() => document.querySelector('.count')?.textContent === '2 thủ tục');
  assert.deepEqual(await results.locator('a').allInnerTexts(),
    ['Đăng ký kết hôn', 'Đăng ký kết hôn có yếu tố nước ngoài']);
  // The address keeps the search, so that back and a shared link work.
  assert.match(page.url(), /\?q=dang\+ky\+ket\+hon$/);
  await shoot(page, 'citizen-home-search');

  await results.first().locator('a').click();
  await page.waitForURL(/\/thu-tuc\/1\.000894\.000\.00\.00\.H56$/);
  await until(heading(page), 'Đăng ký kết hôn');
  const facts = await page.locator('dl.facts').innerText();
  assert.match(facts, /Thời hạn giải quyết\s+Trong ngày/);
  assert.match(facts, /Hình thức nộp\s+Trực tuyến một phần/);
  assert.match(await page.locator('table').first().innerText(), /Tờ khai đăng ký kết hôn\s+1\s+0\s+Bắt buộc/);
  assert.match(await page.getByText('Hồ sơ nhận sau 15 giờ').innerText(), /ngày làm việc tiếp theo/);
  // Focus went to the new page's heading (announced by screen readers).
  await until(() => page.evaluate(() => document.activeElement.tagName), 'H1');
  await shoot(page, 'citizen-procedure');

  await page.goBack();
  assert.equal(await page.getByLabel('Tên hoặc mã thủ tục').inputValue(), 'dang ky ket hon');
  // Both are commune procedures: the province's list has neither.
  await page.locator('#level').selectOption('province');
  await page.waitForURL(/cap=province/);
  await page.waitForFunction(() => ![...document.querySelectorAll('ul.procedures a')]
    .some((a) => a.textContent.startsWith('Đăng ký kết hôn')));
  await page.getByLabel('Tên hoặc mã thủ tục').fill('zzqxw');
  await page.waitForFunction(() => document.querySelector('.count')?.textContent === '0 thủ tục');
  assert.equal(await page.getByText('Không tìm thấy thủ tục nào phù hợp').count(), 1);
  assert.deepEqual(page.errors, []);
});

test('an unknown procedure code and an unknown page say so in words', async () => {
  const page = await newPage();
  await page.goto(env.server.url + '/thu-tuc/9.999999.000.00.00.H56');
  await until(heading(page), 'Không có thủ tục với mã này.');
  await page.goto(env.server.url + '/khong-co-trang-nay');
  await until(heading(page), 'Không tìm thấy trang');
});

test('the English switch translates the pages and is remembered', async () => {
  const page = await newPage();
  await page.goto(env.server.url + '/?q=ket%20hon');
  await page.getByRole('button', { name: 'Switch to English' }).click();
  await until(heading(page), 'Find an administrative procedure');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  await page.waitForFunction(() => document.querySelector('ul.procedures a')?.textContent === 'Marriage registration');
  assert.match(await page.locator('ul.procedures li').first().innerText(), /Same day\s+Free\s+Partly online/);
  await page.reload();
  await until(heading(page), 'Find an administrative procedure');
  await shoot(page, 'citizen-home-english');
  await page.getByRole('button', { name: 'Chuyển sang tiếng Việt' }).click();
  await until(heading(page), 'Tìm thủ tục hành chính');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'vi');
});

test('the receipt QR code opens the lookup, which shows the dossier and drops the code from the address', async () => {
  const d = await counterDossier(env.server.url, 'Nguyễn Văn An');
  const page = await newPage();
  await page.goto(`${env.server.url}/tra-cuu?so=${encodeURIComponent(d.number)}&ma=${d.secret}`);
  const result = page.locator('section.result');
  await result.waitFor();
  assert.equal(await result.locator('h2').innerText(), `Hồ sơ ${d.number}`);
  const text = await result.innerText();
  assert.match(text, /Mới tiếp nhận/);
  assert.match(text, /Người nộp\s+Nguyễn V\. A\./);
  assert.doesNotMatch(text, /Nguyễn Văn An|001099012345|0912345678/);
  assert.match(text, /Nơi tiếp nhận\s+Phường Phan Đình Phùng/);
  assert.match(text, /Ngày hẹn trả kết quả\s+Chưa có/);
  assert.ok(!page.url().includes(d.secret), page.url());
  // Not in the history either: one step back is the page before.
  await page.goBack();
  assert.equal(page.url(), 'about:blank');
  await page.goForward();
  assert.ok(!page.url().includes(d.secret), page.url());
  assert.equal(await page.getByLabel('Số hồ sơ').inputValue(), d.number);
  assert.equal(await page.getByLabel('Mã tra cứu').inputValue(), '');
  await shoot(page, 'citizen-lookup-result');

  // The officer accepts it: a new lookup shows the appointment.
  await fetch(`${env.server.url}/api/v1/dossiers/${d.id}/actions/accept`, {
    method: 'POST', headers: { 'content-type': 'application/json', cookie: d.officer.cookie, 'x-csrf-token': d.officer.csrf },
    body: '{}',
  }).then((r) => assert.equal(r.status, 200));
  await page.getByLabel('Mã tra cứu').fill(d.secret.toLowerCase());
  await page.getByRole('button', { name: 'Tra cứu' }).click();
  await page.waitForFunction(() => /Ngày hẹn trả kết quả\s+\d/.test(document.querySelector('section.result')?.innerText));
  assert.match(await result.innerText(), /Ngày hẹn trả kết quả\s+\d{2}\/\d{2}\/\d{4}/);
  assert.equal(await result.locator('ol.timeline li').count(), 2);
});

test('whoever holds the receipt rates an ended dossier from the lookup, once', async () => {
  const d = await counterDossier(env.server.url, 'Lê Văn Bình');
  const page = await newPage();
  const open = () => page.goto(`${env.server.url}/tra-cuu?so=${encodeURIComponent(d.number)}&ma=${d.secret}`);
  await open();
  await page.locator('section.result').waitFor();
  // Nothing to rate while it is in progress.
  assert.equal(await page.getByRole('form', { name: 'Đánh giá việc giải quyết hồ sơ' }).count(), 0);

  await call(env.server.url, d.officer, 'POST', `/api/v1/dossiers/${d.id}/actions/refuse`,
    { reason: 'Hồ sơ không thuộc thẩm quyền giải quyết của phường' });
  await open();
  const form = page.getByRole('form', { name: 'Đánh giá việc giải quyết hồ sơ' });
  await form.waitFor();
  assert.deepEqual(await form.getByRole('radio').evaluateAll((els) => els.map((e) => e.labels[0].innerText)),
    ['Rất hài lòng', 'Hài lòng', 'Không hài lòng']);
  assert.deepEqual(await axe(page), []);
  // From the keyboard: the first level, then the arrow keys move the choice.
  await form.getByRole('radio').first().focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  assert.equal(await form.getByLabel('Không hài lòng').isChecked(), true);
  await form.getByRole('button', { name: 'Gửi đánh giá' }).click();
  await page.getByRole('status').filter({ hasText: 'Cảm ơn bạn đã đánh giá. Đánh giá: Không hài lòng.' }).waitFor();
  await shoot(page, 'citizen-lookup-rated');

  // The officer sees it on the dossier; the receipt cannot rate it again.
  const seen = await call(env.server.url, d.officer, 'GET', `/api/v1/dossiers/${d.id}`);
  assert.equal(seen.rating.level, 1);
  await open();
  await page.locator('section.rating').getByText('Đánh giá: Không hài lòng.').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Gửi đánh giá' }).count(), 0);
  assert.deepEqual(page.errors, []);
});

test('a lookup by hand names what is missing and says plainly when nothing matches', async () => {
  const page = await newPage();
  await page.goto(env.server.url + '/tra-cuu');
  await page.getByRole('button', { name: 'Tra cứu' }).click();
  assert.equal(await page.locator('#number-error').innerText(), 'Vui lòng nhập số hồ sơ.');
  assert.equal(await page.locator('#secret-error').innerText(), 'Vui lòng nhập mã tra cứu.');
  assert.equal(await page.locator('#number').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'number');
  await page.getByLabel('Số hồ sơ').fill('000.51.00.H55-261202-9999');
  await page.getByLabel('Mã tra cứu').fill('ABCD2345');
  await page.getByRole('button', { name: 'Tra cứu' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /Không tìm thấy hồ sơ với số hồ sơ và mã tra cứu này/);
  await shoot(page, 'citizen-lookup-not-found');
});

// The stop link at the end of every notice (/ngung-thong-bao?so=&t=): the
// page stops nothing by itself (mail scanners open links); a forged token is
// refused in words, and a link cut short says so. (A real link, from a real
// e-mail, is followed in web.staff.)
test('the stop link: nothing happens on opening it, a forged token is refused, a link cut short says so', async () => {
  const d = await counterDossier(env.server.url, 'Lý Văn Dũng');
  const stoppedAt = async () => (await call(env.server.url, d.officer, 'GET', `/api/v1/dossiers/${d.id}/notifications`))
    .preferences.stopped_at;
  const page = await newPage();
  await page.goto(`${env.server.url}/ngung-thong-bao?so=${encodeURIComponent(d.number)}&t=forged-token-0123456789`,
    { waitUntil: 'networkidle' });
  await until(heading(page), 'Ngừng nhận thông báo');
  assert.match(await page.locator('main').innerText(),
    new RegExp(`Ngừng mọi thông báo \\(thư điện tử, Zalo, SMS\\) về hồ sơ ${d.number.replace(/\./g, '\\.')}\\?`));
  assert.equal(await page.getByRole('alert').count(), 0);
  assert.equal(await stoppedAt(), null, 'opening the page stops nothing');
  await page.getByRole('button', { name: 'Ngừng nhận thông báo' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.equal(await alert.innerText(), 'Liên kết không đúng hoặc đã hết hiệu lực. Hãy dùng liên kết trong thông báo mới nhất.');
  // Pressing again would not help: the button is gone.
  assert.equal(await page.getByRole('button', { name: 'Ngừng nhận thông báo' }).count(), 0);
  assert.equal(await stoppedAt(), null);
  for (const v of await axe(page)) assert.fail(`stop, forged token: ${v}`);
  await shoot(page, 'citizen-stop-forged');
  // The lookup of the dossier is one link away.
  assert.equal(await page.getByRole('link', { name: 'Tra cứu hồ sơ' }).last().getAttribute('href'),
    '/tra-cuu?so=' + encodeURIComponent(d.number));

  // A link without its token, or without anything: said, and no button.
  for (const path of [`/ngung-thong-bao?so=${encodeURIComponent(d.number)}`, '/ngung-thong-bao', '/ngung-thong-bao?t=abc']) {
    await page.goto(env.server.url + path);
    await until(heading(page), 'Ngừng nhận thông báo');
    await until(() => page.getByRole('alert').innerText().catch(() => ''),
      'Liên kết thiếu số hồ sơ hoặc mã xác nhận. Hãy mở lại đủ liên kết trong thông báo.');
    assert.equal(await page.getByRole('button', { name: 'Ngừng nhận thông báo' }).count(), 0, path);
  }
  for (const v of await axe(page)) assert.fail(`stop, missing parameters: ${v}`);
  // In English too.
  await page.getByRole('button', { name: 'Switch to English' }).click();
  await until(heading(page), 'Stop notices');
  assert.equal(await page.getByRole('alert').innerText(),
    'The link lacks the dossier number or its code. Open the whole link from the notice again.');
  await page.getByRole('button', { name: 'Chuyển sang tiếng Việt' }).click();
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a citizen registers, signs in and out; a wrong password is refused in words', async () => {
  const page = await newPage();
  await page.goto(env.server.url + '/dang-ky');
  await page.getByLabel('Họ và tên').fill('Trần Thị Bình');
  await page.getByLabel('Tên đăng nhập').fill('tranthibinh');
  await page.getByLabel('Mật khẩu').fill('short');
  await page.getByRole('button', { name: 'Đăng ký' }).click();
  await page.locator('#password-error').waitFor();
  assert.equal(await page.locator('#password-error').innerText(), 'Mật khẩu dài từ 10 đến 128 ký tự.');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'password');
  await page.getByLabel('Mật khẩu').fill('mat-khau-cua-binh-2026');
  await page.getByRole('button', { name: 'Đăng ký' }).click();
  await page.waitForURL(/\/dang-nhap\?moi=1$/);
  assert.match(await page.getByRole('status').first().innerText(), /Đã tạo tài khoản/);

  await page.getByLabel('Tên đăng nhập').fill('tranthibinh');
  await page.getByLabel('Mật khẩu').fill('sai-mat-khau-roi');
  await page.getByRole('button', { name: 'Đăng nhập' }).last().click();
  await page.getByRole('alert').waitFor();
  assert.equal(await page.getByRole('alert').innerText(), 'Tên đăng nhập hoặc mật khẩu không đúng.');
  await page.getByLabel('Mật khẩu').fill('mat-khau-cua-binh-2026');
  await page.getByRole('button', { name: 'Đăng nhập' }).last().click();
  await page.waitForURL(env.server.url + '/');
  await page.locator('.who').waitFor();
  assert.equal(await page.locator('.who').innerText(), 'Trần Thị Bình');
  await page.reload();
  await page.locator('.who').waitFor();
  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  await page.getByRole('link', { name: 'Đăng nhập' }).waitFor();
  const me = await page.evaluate(() => fetch('/api/v1/auth/me').then((r) => r.status));
  assert.equal(me, 401);
});

test('the portal works from the keyboard alone', async () => {
  const page = await newPage();
  await page.goto(env.server.url + '/');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Bỏ qua, đến nội dung chính');
  // Through the header to the search box.
  let guard = 0;
  while ((await page.evaluate(() => document.activeElement.id)) !== 'q' && guard++ < 12) await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'q');
  await page.keyboard.type('khai sinh');
  await page.waitForFunction(() => /khai sinh/i.test(document.querySelector('ul.procedures a')?.textContent));
  await page.keyboard.press('Tab');  // level
  await page.keyboard.press('Tab');  // how to submit
  await page.keyboard.press('Tab');  // the first result
  const first = await page.evaluate(() => document.activeElement.textContent);
  assert.equal(first, await page.locator('ul.procedures a').first().innerText());
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/thu-tuc\//);
  await page.waitForFunction((name) => document.querySelector('h1').textContent === name, first);
});

// The whole journey in Chromium against the real motcua: a citizen submits a
// dossier online with its files; an officer accepts it; the specialist asks
// for a supplement; the citizen supplements; the dossier is appraised,
// approved (finished) and returned; and at every step the citizen sees the
// change on their own page.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { axe, heading, shoot, until, serverAndBrowser, signInPage } from './harness.mjs';

const CODE = '1.004873.000.00.00.H56';  // Cấp Giấy xác nhận tình trạng hôn nhân: fully online, commune level
const env = serverAndBrowser();

// A small but real PDF: the server judges files by their content.
function pdf(text) {
  return Buffer.from(`%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\n% ${text}\ntrailer<</Root 1 0 R>>\n%%EOF\n`);
}

const person = (username, viewport) => signInPage(env, username, { viewport });

// Staff take an action from the dossier's page, as they would.
async function act(page, id, action, fill) {
  await page.goto(`${env.server.url}/can-bo/ho-so/${id}`);
  await page.getByRole('button', { name: action, exact: true }).click();
  const form = page.getByRole('form', { name: action });
  if (fill) await fill(form);
  await form.getByRole('button', { name: `Xác nhận: ${action}` }).click();
  const done = page.getByRole('status').filter({ hasText: `Đã thực hiện: ${action}.` });
  await done.waitFor();
  return done.innerText();
}

async function citizenSees(page, id, state) {
  await page.goto(`${env.server.url}/ho-so/${id}`);
  await until(() => page.locator('p.state .badge').innerText(), state);
}

// axe-core on the pages of the journey as they come; asserted at the end.
const violations = [];
async function check(page, name) {
  for (const v of await axe(page)) violations.push(`${name}: ${v}`);
}

test('a dossier from online submission to the returned result, seen by the citizen at every step', async () => {
  const citizen = await person('congdan', { width: 390, height: 844 });

  // 1. The citizen finds the procedure and submits it online.
  await citizen.goto(`${env.server.url}/thu-tuc/${CODE}`);
  await citizen.getByRole('link', { name: 'Nộp hồ sơ trực tuyến' }).click();
  await until(heading(citizen), 'Nộp hồ sơ: Cấp Giấy xác nhận tình trạng hôn nhân');
  await citizen.getByLabel('Nơi nộp hồ sơ').selectOption({ label: 'Phường Phan Đình Phùng' });
  await citizen.getByLabel('Họ và tên').fill('Phạm Thị Dung');
  await citizen.getByLabel('Số định danh cá nhân').fill('0010990');
  await citizen.getByLabel('Số điện thoại').fill('0987654321');
  // Submitting too early names every missing thing at once.
  await citizen.getByRole('button', { name: 'Nộp hồ sơ' }).click();
  assert.equal(await citizen.locator('#id_number-error').innerText(), 'Số định danh cá nhân gồm đúng 12 chữ số.');
  assert.equal(await citizen.locator('#consent-error').innerText(), 'Cần có sự đồng ý của bạn để nộp hồ sơ.');
  const required = await citizen.locator('.field.file.invalid input[type=file]').count();
  assert.ok(required >= 1, 'the required documents are marked');
  await check(citizen, 'submit with errors');
  await citizen.getByLabel('Số định danh cá nhân').fill('001099067890');
  const ids = await citizen.locator('.field.file.invalid input[type=file]').evaluateAll((els) => els.map((e) => e.id));
  for (const fid of ids) {
    await citizen.locator('#' + fid).setInputFiles({ name: fid + '.pdf', mimeType: 'application/pdf', buffer: pdf(fid) });
  }
  await until(async () => (await citizen.locator('.uploaded').count()) >= required, true);
  await citizen.getByLabel(/Tôi đồng ý/).check();
  // What was fixed is no longer marked.
  assert.equal(await citizen.locator('#consent-error').count(), 0);
  assert.equal(await citizen.locator('#id_number-error').count(), 0);
  assert.equal(await citizen.locator('.field.file.invalid').count(), 0);
  await shoot(citizen, 'journey-1-submit');
  await citizen.getByRole('button', { name: 'Nộp hồ sơ' }).click();
  await until(heading(citizen), 'Đã nộp hồ sơ');
  const number = await citizen.locator('dl.facts dd strong').first().innerText();
  const secret = await citizen.locator('.secret').innerText();
  assert.match(number, /^000\.51\.00\.H55-\d{6}-\d{4}$/);
  assert.match(secret, /^[A-Z2-9]{8}$/);
  await shoot(citizen, 'journey-2-receipt');
  await check(citizen, 'receipt');
  await citizen.getByRole('link', { name: 'Xem hồ sơ' }).click();
  await citizen.waitForURL(/\/ho-so\/\d+$/);
  const id = citizen.url().match(/\/ho-so\/(\d+)$/)[1];
  await until(() => citizen.locator('p.state .badge').innerText(), 'Mới tiếp nhận');
  // It is in the citizen's list.
  await citizen.goto(env.server.url + '/ho-so-cua-toi');
  await citizen.getByRole('link', { name: 'Cấp Giấy xác nhận tình trạng hôn nhân' }).waitFor();
  await check(citizen, 'my dossiers');

  // 2. The officer of the commune accepts it: the appointment is computed.
  const officer = await person('motcua.phandinhphung');
  await officer.getByRole('link', { name: number }).click();
  await until(heading(officer), `Hồ sơ ${number}`);
  assert.match(await officer.locator('dl.facts').first().innerText(), /Hình thức nộp\s+Trực tuyến/);
  assert.match(await officer.locator('dl.facts').nth(1).innerText(), /Phạm Thị Dung\s+Số định danh cá nhân\s+001099067890/);
  assert.ok(await officer.locator('ul.files a').count() >= required);
  await shoot(officer, 'journey-3-officer-dossier');
  await check(officer, 'staff dossier');
  // Before confirming, the officer sees the appointment to tell the citizen;
  // it is the one the acceptance sets.
  let promised;
  const accepted = await act(officer, id, 'Tiếp nhận hồ sơ', async (form) => {
    promised = (await form.getByText('Tiếp nhận bây giờ thì ngày hẹn trả kết quả là').innerText())
      .match(/là (\d{2}\/\d{2}\/\d{4} \d{2}:\d{2})/)[1];
  });
  assert.match(accepted, new RegExp(`Ngày hẹn trả kết quả: ${promised}\\.`));
  await citizenSees(citizen, id, 'Đã tiếp nhận, chờ xử lý');
  assert.match(await citizen.locator('dl.facts').innerText(), /Ngày hẹn trả kết quả\s+\d{2}\/\d{2}\/\d{4}/);

  // 3. The specialist takes it up and asks for a supplement, choosing the item.
  const specialist = await person('chuyenvien.phandinhphung');
  await act(specialist, id, 'Nhận hồ sơ thẩm định');
  await citizenSees(citizen, id, 'Đang thẩm định');
  await act(specialist, id, 'Yêu cầu bổ sung hồ sơ', async (form) => {
    await form.getByRole('checkbox').first().check();
    await form.getByLabel('Nội dung khác cần bổ sung').fill('Bản sao sổ hộ khẩu có chứng thực');
    await form.getByLabel('Lý do').fill('Thiếu giấy tờ chứng minh nơi cư trú');
    await check(specialist, 'action form');
  });
  await shoot(specialist, 'journey-4-supplement-requested');

  // 4. The citizen sees what is asked, can print the request (form 02), and supplements.
  await citizenSees(citizen, id, 'Chờ bổ sung hồ sơ');
  const [request] = await Promise.all([citizen.waitForEvent('download'),
    citizen.getByRole('link', { name: 'Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (PDF)' }).click()]);
  const requested = execFileSync('pdftotext', [await request.path(), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  assert.match(requested, /PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ/);
  assert.match(requested, /Bản sao sổ hộ khẩu có chứng thực/);
  assert.match(requested, /Lý do: Thiếu giấy tờ chứng minh nơi cư trú/);
  const asked = await citizen.locator('.note.warn').innerText();
  assert.match(asked, /Cần bổ sung hồ sơ/);
  assert.match(asked, /Thiếu giấy tờ chứng minh nơi cư trú/);
  assert.match(asked, /Bản sao sổ hộ khẩu có chứng thực/);
  await shoot(citizen, 'journey-5-citizen-asked');
  await check(citizen, 'supplement form');
  await citizen.getByLabel('Tệp bổ sung').setInputFiles({ name: 'so-ho-khau.pdf', mimeType: 'application/pdf', buffer: pdf('bo sung') });
  await citizen.getByRole('button', { name: 'Gửi hồ sơ bổ sung' }).click();
  await citizen.getByText('Đã gửi hồ sơ bổ sung.').waitFor();
  await until(() => citizen.locator('p.state .badge').innerText(), 'Đang thẩm định');
  assert.equal(await citizen.locator('.note.warn').count(), 0);

  // 5. Appraised: the specialist drafts the result from its text; the
  // leader signs it with the certificate file the demo made for them, and
  // approves; the result is returned.
  await specialist.goto(`${env.server.url}/can-bo/ho-so/${id}`);
  await specialist.getByLabel('Nội dung kết quả').fill(
    'Xác nhận bà Phạm Thị Dung hiện chưa đăng ký kết hôn với ai.\nGiấy xác nhận có giá trị 6 tháng kể từ ngày cấp.');
  await specialist.getByRole('button', { name: 'Lưu dự thảo' }).click();
  await specialist.getByRole('status').filter({ hasText: 'Đã lưu dự thảo kết quả.' }).waitFor();
  await specialist.getByText(/Dự thảo do hệ thống lập lúc/).waitFor();
  await check(specialist, 'result draft');
  await act(specialist, id, 'Trình phê duyệt');
  await citizenSees(citizen, id, 'Chờ lãnh đạo phê duyệt');
  // Not signed yet: the citizen has no result to download.
  assert.equal(await citizen.getByRole('link', { name: 'Tải kết quả đã ký số (PDF)' }).count(), 0);
  const leader = await person('lanhdao.phandinhphung');
  await leader.goto(`${env.server.url}/can-bo/ho-so/${id}`);
  const signing = leader.getByRole('form', { name: 'Ký số kết quả' });
  await signing.getByLabel('Tệp chứng thư số (.p12, .pfx)').setInputFiles(join(env.server.data, 'keys', 'signers', 'lanhdao.phandinhphung.p12'));
  await signing.getByLabel('Mật khẩu của tệp').fill('not-the-password');
  await signing.getByRole('button', { name: 'Ký số', exact: true }).click();
  await signing.getByText('Mật khẩu không mở được tệp chứng thư số.').waitFor();
  await signing.getByLabel('Mật khẩu của tệp').fill('motcua-demo-2026');
  await signing.getByRole('button', { name: 'Ký số', exact: true }).click();
  await leader.getByRole('status').filter({ hasText: 'Đã ký số kết quả.' }).waitFor();
  assert.match(await leader.locator('section[aria-labelledby=result-title]').innerText(), /Người ký\s+Ngô Quang Huy/);
  await shoot(leader, 'journey-5-result-signed');
  await check(leader, 'signed result');
  await act(leader, id, 'Phê duyệt');
  await citizenSees(citizen, id, 'Đã có kết quả, chờ trả');
  assert.match(await citizen.locator('dl.facts').first().innerText(), /Ngày có kết quả\s+\d{2}\/\d{2}\/\d{4}/);
  await act(officer, id, 'Trả kết quả');
  await citizenSees(citizen, id, 'Đã trả kết quả');
  assert.match(await citizen.locator('dl.facts').first().innerText(), /Ngày trả kết quả\s+\d{2}\/\d{2}\/\d{4}/);
  // The whole way, step by step, on the citizen's page.
  const steps = await citizen.locator('ol.timeline li .what').allInnerTexts();
  assert.deepEqual(steps.map((s) => s.replace(/ \(hiện tại\)$/, '')), [
    'Mới tiếp nhận', 'Đã tiếp nhận, chờ xử lý', 'Đang thẩm định', 'Chờ bổ sung hồ sơ', 'Đang thẩm định',
    'Chờ lãnh đạo phê duyệt', 'Đã có kết quả, chờ trả', 'Đã trả kết quả']);
  await shoot(citizen, 'journey-6-returned');

  // 6. The citizen rates how it was handled, once: choosing a level is asked
  // for, the rating stays on the page, and the officer sees it.
  const rating = citizen.getByRole('form', { name: 'Đánh giá việc giải quyết hồ sơ' });
  await rating.getByRole('button', { name: 'Gửi đánh giá' }).click();
  assert.equal(await rating.locator('#rating-error').innerText(), 'Vui lòng chọn một mức đánh giá.');
  assert.equal(await citizen.evaluate(() => document.activeElement.id), 'rating-3');
  await check(citizen, 'rating form with an error');
  await rating.getByLabel('Hài lòng', { exact: true }).check();
  await rating.getByLabel('Góp ý thêm (không bắt buộc)').fill('Cán bộ hướng dẫn tận tình');
  await rating.getByRole('button', { name: 'Gửi đánh giá' }).click();
  await citizen.getByRole('status').filter({ hasText: 'Cảm ơn bạn đã đánh giá. Đánh giá: Hài lòng.' }).waitFor();
  await citizen.reload();
  await citizen.locator('section.rating').getByText('Đánh giá: Hài lòng.').waitFor();
  assert.equal(await citizen.getByRole('button', { name: 'Gửi đánh giá' }).count(), 0);
  await shoot(citizen, 'journey-7-rated');

  // The citizen downloads the signed result (poppler's pdfsig finds the
  // signature valid) and checks it where its QR code leads: /verify/{code}.
  const [result] = await Promise.all([citizen.waitForEvent('download'),
    citizen.getByRole('link', { name: 'Tải kết quả đã ký số (PDF)' }).click()]);
  const resultPath = await result.path();
  assert.match(execFileSync('pdfsig', [resultPath], { encoding: 'utf8' }), /Signature Validation: Signature is Valid\./);
  assert.match(execFileSync('pdftotext', [resultPath, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' '),
    /Giấy xác nhận có giá trị 6 tháng kể từ ngày cấp\./);
  await citizen.getByRole('link', { name: 'Kiểm tra tính xác thực' }).click();
  await citizen.waitForURL(/\/verify\/[a-z2-7]{16}$/);
  await until(heading(citizen), 'Kiểm tra kết quả giải quyết');
  assert.match(await citizen.locator('dl.facts').innerText(), /Người ký\s+Ngô Quang Huy/);
  assert.match(await citizen.locator('dl.facts').innerText(), new RegExp(`Số hồ sơ\\s+${number.replace(/\./g, '\\.')}`));
  await citizen.getByLabel('Tệp kết quả (PDF)').setInputFiles(resultPath);
  await citizen.getByRole('button', { name: 'Kiểm tra', exact: true }).click();
  await citizen.getByText('Tệp hợp lệ: đúng là kết quả đã cấp, chưa bị thay đổi.').waitFor();
  await shoot(citizen, 'journey-7-verified');
  await check(citizen, 'verify');
  // One byte changed after the signature's hole: not the file issued.
  const bytes = readFileSync(resultPath);
  const holeEnd = bytes.indexOf('>', bytes.indexOf('/Contents <'));
  bytes[holeEnd + Math.floor((bytes.length - holeEnd) / 2)] ^= 0x20;
  await citizen.getByLabel('Tệp kết quả (PDF)').setInputFiles({ name: 'ket-qua.pdf', mimeType: 'application/pdf', buffer: bytes });
  await citizen.getByRole('button', { name: 'Kiểm tra', exact: true }).click();
  await citizen.getByText(/Tệp KHÔNG khớp với kết quả đã cấp/).waitFor();
  await citizen.getByText(/Chữ ký số trong tệp không còn hợp lệ/).waitFor();

  // The officer's control sheet has every hand-over, judged.
  await officer.goto(`${env.server.url}/can-bo/ho-so/${id}`);
  await officer.locator('table.steps').waitFor();
  // Seven hand-overs; returning the result closes the last one.
  assert.equal(await officer.locator('table.steps tbody tr').count(), 7);
  assert.match(await officer.locator('dl.facts').first().innerText(), /Kết quả đúng hạn\s+(Trước hạn|Đúng hạn)/);
  const last = officer.locator('ol.timeline li').last();
  assert.match(await last.innerText(), /Công dân đánh giá việc giải quyết: Hài lòng\s+“Cán bộ hướng dẫn tận tình”/);
  await shoot(officer, 'journey-8-control-sheet');
  // Printed as form 06: every hand-over, judged, read back by poppler.
  const [sheet] = await Promise.all([officer.waitForEvent('download'),
    officer.getByRole('link', { name: 'Tải phiếu kiểm soát quá trình giải quyết (PDF)' }).click()]);
  const printed = execFileSync('pdftotext', [await sheet.path(), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  assert.match(printed, /PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ/);
  assert.match(printed, /7\. Đã có kết quả, chờ trả/);
  assert.match(printed, /(Trước hạn|Đúng hạn)/);

  // And anyone with the receipt sees the same at /tra-cuu.
  const anyone = await (await env.browser.newContext()).newPage();
  await anyone.goto(`${env.server.url}/tra-cuu?so=${encodeURIComponent(number)}&ma=${secret}`);
  await anyone.locator('section.result').waitFor();
  assert.match(await anyone.locator('section.result').innerText(), /Đã trả kết quả/);
  // The rating is there too, without its comment, and cannot be given twice.
  assert.match(await anyone.locator('section.rating').innerText(), /Đánh giá: Hài lòng\./);
  assert.doesNotMatch(await anyone.locator('section.result').innerText(), /tận tình/);
  await check(officer, 'control sheet');
  for (const p of [citizen, officer, specialist, leader]) assert.deepEqual(p.errors, []);
  assert.deepEqual(violations, []);
});

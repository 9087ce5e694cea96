// Builds the front end into dist/, which `motcua serve --web-dir` serves:
//   dist/index.html         the citizen portal, its script and stylesheet
//                           written into the page (one request on a slow
//                           phone), with dist/index.html.csp, the
//                           Content-Security-Policy that lets exactly those
//                           two run (their SHA-256 hashes);
//   dist/can-bo/index.html  the staff workspace, and
//   dist/ho-so-cua-toi/     a citizen's own pages (also as ho-so/,
//                           nop-ho-so/, verify/ and ngung-thong-bao/), with their hashed, cacheable files
//                           in dist/assets/;
//   FILE.gz                 beside every text file, gzip -9, sent to
//                           browsers that accept gzip.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

const common = {
  root,
  logLevel: 'warn',
  configFile: false,
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact', legalComments: 'none' },
  build: { outDir: dist, target: 'es2020', reportCompressedSize: false },
};

await build({
  ...common,
  build: {
    ...common.build,
    emptyOutDir: true,
    cssCodeSplit: false,
    modulePreload: false,
    rollupOptions: { input: join(root, 'index.html'), output: { inlineDynamicImports: true } },
  },
});
inlineCitizenPage();
// The staff workspace and a citizen's own pages: two pages sharing their
// cacheable chunks (Preact, the common modules).
await build({
  ...common,
  build: {
    ...common.build,
    emptyOutDir: false,
    rollupOptions: { input: [join(root, 'can-bo/index.html'), join(root, 'ho-so-cua-toi/index.html')] },
  },
});
// One page for /ho-so-cua-toi, /ho-so/{id}, /nop-ho-so/{code}, /verify/{code} and
// /ngung-thong-bao: the server serves the nearest index.html up the path.
for (const dir of ['ho-so', 'nop-ho-so', 'verify', 'ngung-thong-bao']) {
  mkdirSync(join(dist, dir), { recursive: true });
  copyFileSync(join(dist, 'ho-so-cua-toi', 'index.html'), join(dist, dir, 'index.html'));
}
// Administration (/quan-tri/) is part of the staff app.
mkdirSync(join(dist, 'quan-tri'), { recursive: true });
copyFileSync(join(dist, 'can-bo', 'index.html'), join(dist, 'quan-tri', 'index.html'));
const sizes = compressAll(dist);
report(sizes);

function sha256(text) {
  return "'sha256-" + createHash('sha256').update(text, 'utf8').digest('base64') + "'";
}

function inlineCitizenPage() {
  const page = join(dist, 'index.html');
  let html = readFileSync(page, 'utf8');
  const script = html.match(/<script type="module" crossorigin src="(\/assets\/[^"]+\.js)"><\/script>/);
  const style = html.match(/<link rel="stylesheet" crossorigin href="(\/assets\/[^"]+\.css)">/);
  if (!script || !style) throw new Error('index.html: the built script or stylesheet is not where it was expected');
  const js = readFileSync(join(dist, script[1]), 'utf8').replace(/<\/script/gi, '<\\/script').trim();
  const css = readFileSync(join(dist, style[1]), 'utf8').trim();
  if (/\bimport\s*\(|\bimport\s*["'{*]/.test(js)) throw new Error('the citizen script imports another file: it cannot be inlined');
  html = html.replace(style[0], () => `<style>${css}</style>`);
  // At the end of the body: the page's markup is parsed before it runs.
  html = html.replace(script[0], '').replace('</body>', () => `<script type="module">${js}</script>\n</body>`);
  writeFileSync(page, html);
  rmSync(join(dist, script[1]));
  rmSync(join(dist, style[1]));
  const csp = [
    "default-src 'self'",
    `script-src 'self' ${sha256(js)}`,
    `style-src 'self' ${sha256(css)}`,
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  writeFileSync(page + '.csp', csp + '\n');
}

function compressAll(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) { compressAll(path, out); continue; }
    if (!/\.(html|js|css|svg|json|txt|webmanifest)$/.test(name)) continue;
    const raw = readFileSync(path);
    const gz = gzipSync(raw, { level: 9 });
    writeFileSync(path + '.gz', gz);
    out.push({ path: path.slice(dist.length + 1), raw: raw.length, gz: gz.length });
  }
  return out;
}

function report(sizes) {
  for (const s of sizes.sort((a, b) => a.path.localeCompare(b.path))) {
    console.log(`${s.path.padEnd(40)} ${String(s.raw).padStart(8)} B  ${String(s.gz).padStart(7)} B gzip`);
  }
}

#!/usr/bin/env node
// Neovim as a second, independent LSP client: runs test/nvim/lsp.lua in a
// headless Neovim (0.7.2 from Debian is enough) against the built server
// (`node server/out/server.js --stdio`) and checks the JSON it writes:
// a hover card on a bare surname, document symbols, pushed diagnostics.
// Needs: nvim on PATH (apt-get install neovim), server/out/server.js (npm run build).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const server = join(root, 'server/out/server.js');
const sample = join(root, 'seeds/000_d9a995616103b19f.txt');
const broken = join(root, 'test/fixtures/broken-quote.article.txt');
const outDir = join(root, '.artifacts/nvim');
const out = join(outDir, 'result.json');

if (!existsSync(server)) {
  console.error(`test:nvim: ${server} is missing; run npm run build first`);
  process.exit(1);
}
const version = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
if (version.error || version.status !== 0) {
  console.error('test:nvim: Neovim (nvim) is not installed: apt-get install neovim');
  process.exit(1);
}
console.log(`test:nvim: ${version.stdout.split('\n')[0]}, server ${server}`);

mkdirSync(outDir, { recursive: true });
rmSync(out, { force: true });
const started = Date.now();
const run = spawnSync('nvim', ['--headless', '--clean', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${join(root, 'test/nvim/lsp.lua')}`], {
  cwd: root,
  encoding: 'utf8',
  timeout: 90_000,
  killSignal: 'SIGKILL',
  env: { ...process.env, ARTICLE_LENS_SERVER: server, ARTICLE_LENS_SAMPLE: sample, ARTICLE_LENS_BROKEN: broken, ARTICLE_LENS_OUT: out },
});
const millis = Date.now() - started;

let passed = 0;
let failed = 0;
function check(name, condition, detail = '') {
  if (condition) {
    passed++;
    console.log(`  ✓ ${name}`);
  } else {
    failed++;
    console.log(`  ✗ ${name}${detail ? `\n      ${detail}` : ''}`);
  }
}

const result = existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : undefined;
check(`nvim exited cleanly in ${millis} ms`, run.status === 0 && !result?.error, `status ${run.status} ${run.error ?? ''} ${result?.error ?? ''}\n${run.stderr ?? ''}`);
if (!result) {
  console.log(`\n${passed} passed, ${failed} failed`);
  process.exit(1);
}

check('server initialized and announced hover, symbols and semantic tokens', Object.values(result.capabilities ?? {}).every(Boolean) && Object.keys(result.capabilities ?? {}).length === 3, JSON.stringify(result.capabilities));

// hover on the bare surname of "Mr. Lukashenko": the card names the full name and role
const hover = result.hover?.result?.contents?.value ?? '';
const unescape = (s) => s.replace(/\\([\\`*_{}[\]()#+\-.!|<>~])/g, '$1');
check('hover on "Lukashenko" shows the full name', unescape(hover).includes('Aleksandr G. Lukashenko'), hover.slice(0, 300));
check('hover on "Lukashenko" shows the role', /president of belarus/i.test(hover), hover.slice(0, 300));
const range = result.hover?.result?.range;
check('hover range covers the surname', range && range.start.line === result.hover_at.line && range.start.character <= result.hover_at.character && range.end.character > result.hover_at.character, JSON.stringify(range));

// document symbols: the headline, and a People group holding the people
const symbols = result.symbols?.result ?? [];
const headline = symbols.find((s) => s.detail === 'headline');
check('document symbols list the headline', headline?.name === 'Under Siege in Belarus, Lukashenko Turns to Putin', JSON.stringify(symbols.map((s) => s.name)));
const people = symbols.find((s) => s.name === 'People');
const names = (people?.children ?? []).map((c) => c.name);
check('document symbols have a People group with Lukashenko and Putin', names.includes('Aleksandr G. Lukashenko') && names.includes('Vladimir V. Putin'), JSON.stringify(names));
check('semantic tokens are served', result.semantic_token_count > 10, String(result.semantic_token_count));

// pushed diagnostics on the broken fixture: the unclosed “ on line 5
const diagnostics = result.diagnostics ?? [];
const unclosed = diagnostics.find((d) => d.code === 'unclosed-quote');
check('the broken quote is reported (pushed diagnostics)', !!unclosed && !result.diagnostics_timeout, JSON.stringify(diagnostics));
check('the diagnostic is an error with its message', unclosed?.severity === 1 && /never closed/.test(unclosed?.message ?? ''), JSON.stringify(unclosed));
check('the diagnostic sits on the opening mark “ of line 5', unclosed?.lnum === 4 && unclosed?.covered === '“', JSON.stringify(unclosed));
check('no other diagnostics on the fixture', diagnostics.length === 1, JSON.stringify(diagnostics));

console.log(`\nJSON written by Neovim: ${out}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

#!/usr/bin/env node
// Article Lens in real VS Code: installs the packaged .vsix into code-server
// (VS Code 1.100 workbench, Node extension host), drives Debian's chromium with
// playwright-core and checks what a person sees. Every state is polled for
// (no fixed sleeps); every step leaves a screenshot in .artifacts/e2e/; a failed
// check leaves FAIL-<step>.png and the logs. Everything started here is killed
// by process group at the end, also on Ctrl+C.
//
// Steps: status bar, semantic colours, hover, Go to Symbol, Outline, Problems and a
// quote quick fix (fixture); then in the sample: code lens, Find All References
// (count from the CLI), document highlights, Go to Definition, rename + undo, rename
// refused on a plain word, team-dictionary quick fixes; then robustness: the language
// server SIGKILLed twice (the client restarts it, says so once, colours, lens, counts and
// hovers come back, an unsaved edit reaches the new server), the open sample deleted on
// disk (the extension keeps working on the buffer), and a second folder opened in
// Restricted Mode (workspace trust on; the extension works there, its server runs in the
// extension's folder, and no curly quote is boxed as unusual Unicode). The workspace is a
// copy in .artifacts/e2e/workspace: the rename and the dictionary fix never touch seeds/.
//
// E2E_TRACE=messages (or verbose) traces the LSP traffic into the extension host log
// (.artifacts/e2e/user-data/logs/*/exthost1/article-lens.article-lens/Article Lens.log).
//
// Needs (test/e2e/install-tools.sh installs them): chromium, ripgrep, libkrb5-dev,
// pkg-config from apt; code-server@4.100.3 + playwright-core in .tools/e2e.
// Run with `npm run test:e2e` (installs the tools, packages the vsix, runs this).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tools = join(root, '.tools', 'e2e');
const artifacts = join(root, '.artifacts', 'e2e');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const vsix = join(root, `${pkg.name}-${pkg.version}.vsix`);
const codeServer = join(tools, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const SAMPLE = '000_d9a995616103b19f.txt';
const BROKEN = 'broken-quote.article.txt';
const TIMEOUT = Number(process.env.E2E_TIMEOUT ?? 30_000);

for (const [what, path, hint] of [
  ['code-server', codeServer, 'bash test/e2e/install-tools.sh'],
  ['chromium', chromiumPath, 'apt-get install chromium'],
  ['the packaged extension', vsix, 'npm run package'],
]) {
  if (!existsSync(path)) {
    console.error(`test:e2e: ${what} is missing (${path}); run: ${hint}`);
    process.exit(1);
  }
}
const { chromium } = createRequire(join(tools, 'package.json'))('playwright-core');

// What the analysis finds in the sample, asked of the CLI (built with the extension):
// the navigation steps compare the editor with it.
const sampleText = readFileSync(join(root, 'seeds', SAMPLE), 'utf8');
const cliRun = spawnSync(process.execPath, [join(root, 'server', 'out', 'cli.js'), '--format', 'json', join(root, 'seeds', SAMPLE)], { encoding: 'utf8', timeout: 60_000 });
let lukashenko;
try {
  const report = [JSON.parse(cliRun.stdout)].flat()[0];
  lukashenko = report.entities.find((e) => e.name === 'Aleksandr G. Lukashenko');
} catch (error) {
  console.error(`test:e2e: the CLI's JSON for ${SAMPLE} could not be read (${error.message}):\n${cliRun.stderr}`);
  process.exit(1);
}
if (!lukashenko) {
  console.error(`test:e2e: the CLI finds no "Aleksandr G. Lukashenko" in ${SAMPLE}`);
  process.exit(1);
}
/** 1-based line and column (UTF-16, as VS Code's status bar counts them without tabs) of an offset into the sample. */
function lineCol(offset) {
  const before = sampleText.slice(0, offset);
  const line = before.split('\n').length;
  return { line, col: offset - (before.lastIndexOf('\n') + 1) + 1 };
}
const fullMention = lukashenko.mentions.find((m) => m.text === lukashenko.name);
const sampleLines = sampleText.split('\n').length;

// ---------------------------------------------------------------- set-up
rmSync(artifacts, { recursive: true, force: true });
const userData = join(artifacts, 'user-data');
const extensions = join(artifacts, 'extensions');
const xdg = join(artifacts, 'xdg');
const workspace = join(artifacts, 'workspace');
for (const dir of [userData, extensions, xdg, workspace, join(userData, 'User'), join(workspace, 'seeds')]) mkdirSync(dir, { recursive: true });
// the sample under seeds/ becomes an article through the default `articleLens.include`;
// the fixture through its .article.txt extension
cpSync(join(root, 'seeds', SAMPLE), join(workspace, 'seeds', SAMPLE));
cpSync(join(root, 'test', 'fixtures', BROKEN), join(workspace, BROKEN));
// a second folder, opened at the end in Restricted Mode (not trusted)
const restricted = join(artifacts, 'restricted');
mkdirSync(restricted, { recursive: true });
cpSync(join(root, 'test', 'fixtures', BROKEN), join(restricted, BROKEN));
writeFileSync(
  join(userData, 'User', 'settings.json'),
  JSON.stringify(
    {
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'workbench.colorTheme': 'Default Dark Modern',
      'editor.hover.delay': 100,
      'editor.minimap.enabled': false,
      'editor.lightbulb.enabled': 'on',
      'telemetry.telemetryLevel': 'off',
      'update.mode': 'none',
      // the web build saves after a delay by default; desktop VS Code does not (the crash steps need an unsaved edit)
      'files.autoSave': 'off',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      // workspace trust on: the test trusts its workspace and opens a second folder in Restricted Mode
      'security.workspace.trust.enabled': true,
      'security.workspace.trust.startupPrompt': 'always',
      'security.workspace.trust.banner': 'always',
      'chat.commandCenter.enabled': false,
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      // the workspace lies inside this repository: keep git quiet
      'git.enabled': false,
      'git.openRepositoryInParentFolders': 'never',
      ...(process.env.E2E_TRACE ? { 'articleLens.trace.server': process.env.E2E_TRACE } : {}),
    },
    null,
    2,
  ),
);
const env = { ...process.env, XDG_CONFIG_HOME: join(xdg, 'config'), XDG_DATA_HOME: join(xdg, 'data'), XDG_CACHE_HOME: join(xdg, 'cache') };
delete env.VSCODE_IPC_HOOK_CLI;

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

const install = spawnSync(process.execPath, [codeServer, '--user-data-dir', userData, '--extensions-dir', extensions, '--install-extension', vsix], {
  env,
  encoding: 'utf8',
  timeout: 120_000,
});
if (install.status !== 0 || !/successfully installed/i.test(install.stdout)) {
  console.error(`test:e2e: installing ${vsix} failed:\n${install.stdout}\n${install.stderr}`);
  process.exit(1);
}
const installedDir = readdirSync(extensions).find((d) => d.startsWith(`${pkg.publisher}.${pkg.name}-`));
console.log(`installed ${vsix.slice(root.length + 1)} (${Math.round(statSync(vsix).size / 1024)} KB) → ${installedDir} [${elapsed()}]`);
// the .vsix carries the bundles, grammar, README, licence and icon: no sources, tests, maps or node_modules
const listFiles = (dir, prefix = '') =>
  readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? listFiles(dir, join(prefix, d.name)) : [join(prefix, d.name)]));
const shipped = installedDir ? listFiles(join(extensions, installedDir)) : [];
const unwanted = shipped.filter((f) => /(^|\/)(node_modules|src|test|seeds)\/|\.(map|ts)$/.test(f));
for (const needed of ['package.json', 'client/out/extension.js', 'server/out/server.js', 'server/out/parseWorker.js', 'client/icon.png', 'syntaxes/article.tmLanguage.json']) {
  if (!shipped.includes(needed)) unwanted.push(`missing: ${needed}`);
}
if (unwanted.length) {
  console.error(`test:e2e: the installed extension has unexpected contents: ${unwanted.slice(0, 10).join(', ')}`);
  process.exit(1);
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

const port = await freePort();
const logFile = join(artifacts, 'code-server.log');
const log = openSync(logFile, 'a');
const server = spawn(
  process.execPath,
  [
    codeServer,
    '--user-data-dir', userData,
    '--extensions-dir', extensions,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    ...(process.env.E2E_TRACE ? ['--log', 'trace'] : []),
    workspace,
  ],
  { env, detached: true, stdio: ['ignore', log, log] },
);

let browser;
let stopped = false;
/** Kill code-server with everything it started (extension host, language server). */
function killServer(signal = 'SIGKILL') {
  try {
    process.kill(-server.pid, signal);
  } catch {
    // already gone
  }
}
async function stopAll() {
  if (stopped) return;
  stopped = true;
  try {
    await browser?.close();
  } catch {
    // the browser died already
  }
  killServer('SIGTERM');
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline && groupAlive()) await new Promise((r) => setTimeout(r, 100));
  killServer('SIGKILL');
}
function groupAlive() {
  try {
    process.kill(-server.pid, 0);
    return true;
  } catch {
    return false;
  }
}
process.on('exit', () => killServer('SIGKILL'));
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    killServer('SIGKILL');
    process.exit(130);
  });
}

// ---------------------------------------------------------------- helpers
const sleepTick = (ms) => new Promise((r) => setTimeout(r, ms));
/** Poll `fn` until it returns a truthy value; throws `what` after the timeout. */
async function poll(what, fn, timeout = TIMEOUT, every = 100) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}${last instanceof Error ? ` (${last.message.split('\n')[0]})` : ''}`);
    await sleepTick(every);
  }
}

let page;
let shot = 0;
async function screenshot(name, options = {}) {
  const file = join(artifacts, `${String(++shot).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, ...options });
  return file;
}

let passed = 0;
let failed = 0;
/** One step of the test: its checks, then a screenshot; a failure takes FAIL-<name>.png and stops. */
async function step(name, title, body) {
  const t0 = Date.now();
  try {
    const notes = (await body()) ?? [];
    const file = await screenshot(name);
    passed++;
    console.log(`  ✓ ${title} (${Date.now() - t0} ms)${notes.map((n) => `\n      ${n}`).join('')}\n      ${file.slice(root.length + 1)}`);
  } catch (error) {
    failed++;
    let file = '';
    try {
      file = join(artifacts, `FAIL-${name}.png`);
      await page.screenshot({ path: file });
    } catch {
      file = '(no screenshot)';
    }
    console.log(`  ✗ ${title}\n      ${String(error?.message ?? error).split('\n').join('\n      ')}\n      ${file.slice(root.length + 1)}`);
    throw error;
  }
}

/** The active editor's pixel box of the first visible occurrence of `word` (optionally in a line containing `inLine`). */
function wordBox(word, inLine = '') {
  return page.evaluate(
    ({ word, inLine }) => {
      const editor = document.querySelector('.editor-instance .monaco-editor .view-lines');
      if (!editor) return null;
      const lines = [...editor.querySelectorAll('.view-line')].sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top);
      for (const line of lines) {
        if (inLine && !line.textContent.replace(/\u00a0/g, ' ').includes(inLine)) continue;
        const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const text = node.textContent.replace(/\u00a0/g, ' ');
          // whole words only, where the word starts or ends with a letter
          const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          const before = /^\p{L}/u.test(word) ? '(^|[^\\p{L}])' : '()';
          const after = /\p{L}$/u.test(word) ? '(?![\\p{L}])' : '';
          const re = new RegExp(`${before}(${escaped})${after}`, 'u');
          const m = re.exec(text);
          if (!m) continue;
          const range = document.createRange();
          const start = m.index + m[1].length;
          range.setStart(node, start);
          range.setEnd(node, start + word.length);
          const r = range.getBoundingClientRect();
          const span = node.parentElement;
          const spanText = span.textContent.replace(/\u00a0/g, ' ');
          return {
            x: r.left,
            y: r.top,
            width: r.width,
            height: r.height,
            color: getComputedStyle(span).color,
            className: span.className,
            spanText,
          };
        }
      }
      return null;
    },
    { word, inLine },
  );
}

/** The text of the visible hover, once its fade-in animation has finished. */
async function hoverText() {
  return page.evaluate(() => {
    const hovers = [...document.querySelectorAll('.monaco-hover:not(.hidden)')].filter((h) => h.getBoundingClientRect().height > 0);
    const settled = hovers.every((h) => (h.closest('.monaco-hover-content, .overlayWidgets, .monaco-editor') ?? h).getAnimations({ subtree: true }).every((a) => a.playState !== 'running'));
    return settled ? hovers.map((h) => h.innerText).join('\n') : '';
  });
}

/**
 * Hover `word` (in a line containing `inLine`) until the card contains every string in `expect`.
 * The word is measured again before every try: a code lens coming or going (as around a server
 * restart) moves every line, and a stale position would hover another row for ever.
 */
async function hoverUntil(word, inLine, expect) {
  await poll(`"${word}" on screen`, () => wordBox(word, inLine));
  return poll(
    `the hover card of "${word}" with ${expect.join(', ')}`,
    async () => {
      const box = await wordBox(word, inLine);
      if (!box) return false;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      const t = await poll('a hover', hoverText, 3000).catch(() => '');
      if (expect.every((e) => t.includes(e))) return t;
      await page.mouse.move(box.x + box.width / 2, box.y - 200); // away and back: a hover asked too early is not asked again
      return false;
    },
    TIMEOUT,
    50,
  );
}

async function openFile(name) {
  // Quick open answers from a file list cached for the workspace; a file written a moment ago reaches
  // it only when the file watcher reports it (slow on a loaded machine): close the box and ask again.
  await poll(`"${name}" focused in quick open`, async () => {
    await page.keyboard.press('Control+P');
    const input = await poll('the quick open box', () => page.$('.quick-input-widget:not([style*="display: none"]) .quick-input-box input'));
    await input.fill(name);
    // wait for the filtered list: the recently-opened list shown before filtering may hold the name too
    const found = await poll(
      `"${name}" in the filtered list`,
      async () => {
        const focused = await page.$eval('.quick-input-list .monaco-list-row.focused', (r) => r.textContent).catch(() => '');
        return focused.includes(name);
      },
      5000,
    ).catch(() => false);
    if (!found) await page.keyboard.press('Escape');
    return found;
  }, TIMEOUT * 2);
  await page.keyboard.press('Enter');
  await poll(`the editor tab of ${name}`, async () => {
    const tab = await page.$('.tabs-container .tab.active');
    return tab && (await tab.textContent()).includes(name);
  });
}

async function runCommand(label) {
  await page.keyboard.press('F1');
  const input = await poll('the command palette', () => page.$('.quick-input-widget:not([style*="display: none"]) .quick-input-box input'));
  await input.fill(`>${label}`);
  await poll(`command "${label}"`, async () => {
    const rows = await page.$$eval('.quick-input-list .monaco-list-row', (rs) => rs.map((r) => r.getAttribute('aria-label') ?? r.textContent));
    return rows.some((t) => t.includes(label));
  });
  await page.keyboard.press('Enter');
}

/** Answer the workspace trust dialog that opens with a folder. */
async function answerTrust(trust) {
  const label = trust ? 'Yes, I trust the authors' : "No, I don't trust the authors";
  const button = await poll('the workspace trust dialog', async () => {
    for (const b of await page.$$('.monaco-dialog-box .dialog-buttons .monaco-button')) {
      if ((await b.innerText()).trim() === label) return b;
    }
    return null;
  }, 60_000);
  await button.click();
  await poll('the trust dialog to close', async () => (await page.$('.monaco-dialog-box')) === null);
}

async function statusItem() {
  return page.evaluate(() => {
    const el = [...document.querySelectorAll('.statusbar-item')].find((e) => e.id.endsWith('articleLens.status'));
    return el ? { id: el.id, text: el.innerText.trim(), label: el.querySelector('a')?.getAttribute('aria-label') ?? '' } : null;
  });
}

async function markers() {
  return page.$$eval('.markers-panel .monaco-list-row', (rows) => rows.map((r) => r.getAttribute('aria-label') || r.textContent));
}

/** The rendered rows of the active editor, top to bottom, with the line numbers in the gutter and the scroll offset. */
async function renderedRows() {
  return page.evaluate(() => {
    // the first editor in document order is the group's own; a peek widget's editor sits inside it
    const ed = document.querySelector('.editor-instance .monaco-editor');
    if (!ed) return null;
    const own = (el) => el.closest('.monaco-editor') === ed;
    const rows = [...ed.querySelectorAll('.view-lines .view-line')]
      .filter(own)
      .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)
      .map((l) => l.textContent.replace(/\u00a0/g, ' '));
    const numbers = [...ed.querySelectorAll('.margin-view-overlays .line-numbers')]
      .filter(own)
      .map((n) => Number(n.textContent))
      .filter((n) => n > 0);
    const content = [...ed.querySelectorAll('.lines-content')].find(own);
    return { rows, top: content?.style.top ?? '', first: Math.min(...numbers), last: Math.max(...numbers) };
  });
}

/** Page through the active editor from the top to the last line (`lineCount`), collecting every row it renders. */
async function scanDocument(lineCount) {
  await page.keyboard.press('Control+Home');
  await poll('the editor scrolled to the top', async () => (await renderedRows())?.first === 1);
  const seen = [];
  for (let pages = 0; ; pages++) {
    const view = await renderedRows();
    seen.push(...view.rows);
    if (view.last >= lineCount) return { rows: seen, pages: pages + 1 };
    if (pages > 100) throw new Error(`paged 100 times without reaching line ${lineCount}`);
    await page.keyboard.press('PageDown');
    await poll('the editor to scroll a page', async () => (await renderedRows()).first !== view.first, 5000, 30);
  }
}

/** The cursor position the status bar shows ("Ln 9, Col 96"). */
async function cursorStatus() {
  return page.$eval('[id="status.editor.selection"]', (e) => e.innerText.trim()).catch(() => '');
}

/** Click the middle of `word` (in a row containing `inLine`), scrolling down until it is on screen. */
async function clickWord(word, inLine) {
  const box = await poll(`"${word}" in a row with "${inLine}"`, async () => {
    const b = await wordBox(word, inLine);
    if (b) return b;
    const r = await (await page.$('.editor-instance .monaco-editor')).boundingBox();
    await page.mouse.move(r.x + r.width / 2, r.y + r.height / 2);
    await page.mouse.wheel(0, 200);
    return null;
  });
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  // rest the mouse on the gutter, off the text: no hover card over what comes next, and the
  // editor's last mouse position is no word (Ctrl+key would draw a Ctrl+hover link under it)
  const margin = await (await page.$('.editor-instance .monaco-editor .margin')).boundingBox();
  await page.mouse.move(margin.x + 4, box.y + box.height / 2);
  return box;
}

/** The Find widget's match count for `text` ("No results", "3 of 23"); leaves the widget closed. */
async function findCount(text) {
  await page.keyboard.press('Control+F');
  const input = await poll('the find widget', () => page.$('.editor-instance .find-widget.visible .find-part .input'));
  await input.fill(text);
  const count = await poll(`the match count of "${text}"`, async () => {
    const t = await page.$eval('.editor-instance .find-widget.visible .matchesCount', (e) => e.innerText.trim()).catch(() => '');
    return t && !/^\?/.test(t) && t;
  });
  await page.keyboard.press('Escape');
  await poll('the find widget to close', async () => (await page.$('.editor-instance .find-widget.visible')) === null);
  return count;
}

// ---------------------------------------------------------------- the test
let exitCode = 1;
try {
  await poll('code-server /healthz', async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok, 60_000, 200);
  console.log(`code-server 4.100.3 on port ${port} (pid group ${server.pid}) [${elapsed()}]`);
  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
  page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  const sampleUri = `vscode-remote://127.0.0.1:${port}${join(workspace, 'seeds', SAMPLE)}`;
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify([['openFile', sampleUri]]))}`;
  await page.goto(url);

  await step('status-bar', 'status bar shows the Article language and the Article Lens item', async () => {
    await poll('the workbench', () => page.$('.monaco-workbench'), 60_000);
    await answerTrust(true);
    await poll('the sample article in the editor', async () => (await wordBox('Lukashenko', 'Under Siege in Belarus')) !== null, 60_000);
    const mode = await poll('language mode "Article"', async () => {
      const text = await page.$eval('#status\\.editor\\.mode', (e) => e.innerText.trim()).catch(() => '');
      return text === 'Article' && text;
    });
    const item = await poll('the Article Lens status item with counts', async () => {
      const s = await statusItem();
      return s && /\d+ people · \d+ places · \d+ unattributed quotes?/.test(s.text) && s;
    });
    return [`language mode: ${mode}`, `status item #${item.id}: "${item.text}"`];
  });

  await step('colours', 'a person, a place and an organization in three colours, none like plain words', async () => {
    // body lines (a wrapped paragraph is several .view-line rows: anchors are on the first row)
    const probe = async () => ({
      person: await wordBox('Lukashenko', 'Mr. Lukashenko, the Kremlin said in a statement'),
      place: await wordBox('Moscow', 'was accusing Moscow'),
      organization: await wordBox('Kremlin', 'Mr. Lukashenko, the Kremlin said in a statement'),
      plain: await wordBox('statement', 'Mr. Lukashenko, the Kremlin said in a statement'),
      headline: await wordBox('Lukashenko', 'Under Siege in Belarus'),
    });
    const seen = await poll('semantic colours on the names', async () => {
      const p = await probe();
      if (!p.person || !p.place || !p.organization || !p.plain) return false;
      const colours = [p.person.color, p.place.color, p.organization.color, p.plain.color];
      return new Set(colours).size === 4 && p;
    });
    // each name is its own span: the colour belongs to the name, not to a run of text around it
    for (const key of ['person', 'place', 'organization']) {
      if (seen[key].spanText.trim() !== { person: 'Lukashenko', place: 'Moscow', organization: 'Kremlin' }[key]) {
        throw new Error(`the ${key} span holds "${seen[key].spanText}", not just the name`);
      }
    }
    return [
      `person "Lukashenko" ${seen.person.color}, place "Moscow" ${seen.place.color}, organization "Kremlin" ${seen.organization.color}, plain "statement" ${seen.plain.color}`,
      `in the headline: "Lukashenko" ${seen.headline?.color} (${seen.headline?.className})`,
    ];
  });

  await step('hover', 'hovering the bare surname "Lukashenko" shows the full name and role', async () => {
    const text = await hoverUntil('Lukashenko', 'Under Siege in Belarus', ['Aleksandr G. Lukashenko', 'President of Belarus']);
    return [`card: ${text.split('\n').filter(Boolean).slice(0, 3).join(' | ')}`];
  });
  await page.mouse.move(5, 450);
  await page.keyboard.press('Escape');

  await step('symbols', 'Ctrl+Shift+O lists the headline and the people', async () => {
    await page.click('.editor-instance .monaco-editor .view-lines');
    await page.keyboard.press('Control+Shift+O');
    const rows = await poll('the headline in Go to Symbol', async () => {
      const labels = await page.$$eval('.quick-input-list .monaco-list-row', (rs) => rs.map((r) => r.getAttribute('aria-label') ?? r.textContent));
      return labels.some((l) => l.includes('Under Siege in Belarus, Lukashenko Turns to Putin')) && labels;
    });
    return [`${rows.length} rows, first: ${rows.slice(0, 4).join(' | ')}`];
  });
  await page.keyboard.press('Escape');

  await step('outline', 'the status item opens the Outline view, with the People group and its entries', async () => {
    const item = await statusItem();
    await page.click(`[id="${item.id}"] a`);
    await poll('the Outline view', () => page.$('.outline-pane .monaco-list-row'));
    // give the Outline the side bar's height: collapse the file tree above it
    const folders = await page.$('.pane-header[aria-label^="Explorer Section"][aria-expanded="true"]');
    if (folders) await folders.click();
    const rows = await poll('People with Lukashenko and Putin in the Outline view', async () => {
      const labels = await page.$$eval('.outline-pane .monaco-list-row', (rs) => rs.map((r) => r.getAttribute('aria-label') ?? r.textContent));
      const people = labels.findIndex((l) => l.startsWith('People'));
      if (people < 0) {
        // the list renders only the rows in view: scroll down to the group
        const pane = await page.$('.outline-pane .monaco-list');
        const box = pane && (await pane.boundingBox());
        if (box) {
          await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
          await page.mouse.wheel(0, 120);
        }
        return false;
      }
      if (!labels.some((l) => l.startsWith('Aleksandr G. Lukashenko')) || !labels.some((l) => l.startsWith('Vladimir V. Putin'))) {
        // collapsed: expand the People group
        const row = (await page.$$('.outline-pane .monaco-list-row'))[people];
        if ((await row.getAttribute('aria-expanded')) === 'false') await row.click();
        return false;
      }
      return labels;
    });
    const people = rows.findIndex((l) => l.startsWith('People'));
    // the picture for the README: colours, the Outline and a hover card together
    await hoverUntil('Lukashenko', 'But Mr. Lukashenko, facing', ['Aleksandr G. Lukashenko']);
    await page.screenshot({ path: join(artifacts, 'readme.png'), clip: { x: 0, y: 0, width: 1240, height: 620 } });
    await page.mouse.move(5, 450);
    return [`outline rows: ${rows.slice(people, people + 4).join(' | ')}`, `README picture: ${join(artifacts, 'readme.png').slice(root.length + 1)}`];
  });

  let squiggle;
  let mark;
  await step('problems', 'the Problems panel lists the broken quote; the squiggle is under the “', async () => {
    await openFile(BROKEN);
    // the code lens above line 1 moves every line down when it arrives: measure after it
    await poll('the code lens', () => page.$('.editor-instance .monaco-editor .codelens-decoration'));
    squiggle = await poll('an error squiggle', () =>
      page.evaluate(() => {
        const s = document.querySelector('.editor-instance .monaco-editor .squiggly-error');
        if (!s) return null;
        const r = s.getBoundingClientRect();
        return { x: r.left, y: r.top, width: r.width, height: r.height };
      }),
    );
    mark = await poll('the “ of “We need', () => wordBox('“', '“We need more time'));
    const near = (a, b) => Math.abs(a - b) <= 2;
    if (!near(squiggle.x, mark.x) || !near(squiggle.x + squiggle.width, mark.x + mark.width) || squiggle.y > mark.y + mark.height / 2 || squiggle.y + squiggle.height < mark.y + mark.height / 2) {
      throw new Error(`the squiggle ${JSON.stringify(squiggle)} is not under the mark ${JSON.stringify({ x: mark.x, y: mark.y, width: mark.width, height: mark.height })}`);
    }
    await page.keyboard.press('Control+Shift+M');
    const rows = await poll('the diagnostic in the Problems panel', async () => {
      const m = await markers();
      return m.some((t) => t.includes('is never closed')) && m;
    });
    return [`squiggle x=${squiggle.x.toFixed(0)}..${(squiggle.x + squiggle.width).toFixed(0)} under “ x=${mark.x.toFixed(0)}..${(mark.x + mark.width).toFixed(0)}`, `problems: ${rows.join(' | ')}`];
  });

  await step('quick-fix', 'a quick fix from the light bulb repairs the quote and the diagnostic goes', async () => {
    // put the cursor on the unclosed mark (measured again: nothing may have moved it), then use the light bulb
    mark = await poll('the “ of “We need', () => wordBox('“', '“We need more time'));
    await page.mouse.click(mark.x + mark.width / 2, mark.y + mark.height / 2);
    const bulb = await poll('the light bulb', async () => {
      const b = await page.$('.editor-instance .monaco-editor .lightBulbWidget');
      return b && (await b.isVisible()) && b;
    });
    await bulb.click();
    const actions = await poll('the quick fix menu', async () => {
      const labels = await page.$$eval('.action-widget .monaco-list-row.action', (rs) => rs.map((r) => r.getAttribute('aria-label') ?? r.textContent));
      return labels.length > 0 && labels;
    });
    await screenshot('quick-fix-menu');
    const fix = actions.find((a) => /clos/i.test(a)) ?? actions[0];
    // choose it with the keyboard (a pointer block covers the menu until the mouse moves)
    await poll(`"${fix}" focused in the menu`, async () => {
      const focused = await page.$eval('.action-widget .monaco-list-row.action.focused', (r) => r.getAttribute('aria-label')).catch(() => null);
      if (focused === fix) return true;
      await page.keyboard.press('ArrowDown');
      return false;
    });
    await page.keyboard.press('Enter');
    const line = await poll('the repaired paragraph', async () => {
      const text = await page.$$eval('.editor-instance .monaco-editor .view-line', (ls) => ls.map((l) => l.textContent.replace(/\u00a0/g, ' ')));
      return text.find((l) => l.startsWith('“We need') && l.includes('”'));
    });
    await poll('the squiggle to disappear', async () => (await page.$('.editor-instance .monaco-editor .squiggly-error')) === null);
    await poll('the Problems panel to empty', async () => (await markers()).every((t) => !t.includes('is never closed')));
    const others = await markers();
    return [`applied "${fix}" (menu: ${actions.join(' | ')})`, `now: ${line}`, `problems left: ${others.join(' | ') || 'none'}`];
  });

  // ------------------------------------------------ navigation and rename in the sample article
  await step('back-to-sample', 'back in the sample article, the panel hidden', async () => {
    await openFile(SAMPLE);
    // give the editor the window's height: hide the panel the Problems step opened
    if (await page.isVisible('.part.panel .markers-panel')) await page.keyboard.press('Control+J');
    await poll('the panel to hide', async () => !(await page.isVisible('.part.panel .markers-panel')));
    await page.click('.editor-instance .monaco-editor .view-lines');
    await page.keyboard.press('Control+Home');
    await poll('the headline on screen', async () => (await renderedRows())?.first === 1);
  });

  await step('code-lens', 'a code lens above the first line counts the people, places, organizations and quotes', async () => {
    const item = await statusItem();
    const lens = await poll('the code lens with counts', () =>
      page.evaluate(() => {
        const l = document.querySelector('.editor-instance .monaco-editor .codelens-decoration');
        const first = [...document.querySelectorAll('.editor-instance .monaco-editor .view-line')].sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)[0];
        if (!l || !first) return null;
        const text = l.innerText.trim();
        return /\d+ (people|person) · \d+ places? ·/.test(text) && { text, lensY: l.getBoundingClientRect().top, lineY: first.getBoundingClientRect().top };
      }),
    );
    if (lens.lensY >= lens.lineY) throw new Error(`the lens (y=${lens.lensY}) is not above the first line (y=${lens.lineY})`);
    const people = (t) => t.match(/(\d+) (?:people|person)/)?.[1];
    if (people(lens.text) !== people(item.text)) throw new Error(`the lens counts ${people(lens.text)} people, the status item ${people(item.text)}`);
    return [`lens: "${lens.text}"`, `status item: "${item.text}"`];
  });

  await step('references', `Shift+F12 on "Mr. Lukashenko" peeks all ${lukashenko.mentions.length} mentions (the CLI's count)`, async () => {
    await clickWord('Lukashenko', 'Mr. Lukashenko, the Kremlin said in a statement');
    // document highlights: the declaration "Aleksandr G. Lukashenko" (two rows up) is highlighted as the "write"
    const strong = await poll('the declaration highlighted as the write occurrence', () =>
      page.evaluate(() => {
        const h = document.querySelector('.editor-instance .monaco-editor .view-overlays .wordHighlightStrong');
        return h && h.getBoundingClientRect().width;
      }),
    );
    const declaration = await wordBox('Aleksandr G. Lukashenko', 'President Aleksandr G. Lukashenko');
    if (declaration && Math.abs(declaration.width - strong) > 3) throw new Error(`the write highlight is ${strong}px wide, "Aleksandr G. Lukashenko" ${declaration.width}px`);
    await page.keyboard.press('Shift+F12');
    const peek = await poll('the references peek with its count', () =>
      page.evaluate(() => {
        const w = document.querySelector('.editor-instance .peekview-widget');
        if (!w) return null;
        const title = w.querySelector('.peekview-title')?.innerText.replace(/\s+/g, ' ').trim() ?? '';
        const badge = w.querySelector('.ref-tree .monaco-count-badge')?.innerText.trim() ?? '';
        const rows = [...w.querySelectorAll('.ref-tree .monaco-list-row')].map((r) => r.innerText.replace(/\s+/g, ' ').trim());
        return /References \(\d+\)|\d+ references?/i.test(title) && { title, badge, rows };
      }),
    );
    const m = peek.title.match(/References \((\d+)\)|(\d+) references?/i);
    const shown = Number(m[1] ?? m[2]);
    if (shown !== lukashenko.mentions.length) throw new Error(`the peek says "${peek.title}"; the CLI has ${lukashenko.mentions.length} mentions`);
    if (peek.badge && Number(peek.badge) !== shown) throw new Error(`the file's badge says ${peek.badge}, the title ${shown}`);
    return [`peek: "${peek.title}", file badge ${peek.badge || '(none)'}, first rows: ${peek.rows.slice(0, 3).join(' | ')}`, `write highlight ${strong.toFixed(0)}px wide over "Aleksandr G. Lukashenko"`];
  });
  await page.keyboard.press('Escape');
  await poll('the peek to close', async () => (await page.$('.editor-instance .peekview-widget')) === null);

  const target = lineCol(fullMention.start);
  await step('definition', `F12 on a bare "Lukashenko" goes to "${lukashenko.name}" (Ln ${target.line}, Col ${target.col})`, async () => {
    await page.keyboard.press('Control+End'); // start far from the declaration: it must scroll back
    await clickWord('Lukashenko', 'Lukashenko’s base');
    const from = await poll('the cursor position', cursorStatus);
    await page.keyboard.press('F12');
    const want = `Ln ${target.line}, Col ${target.col}`;
    const at = await poll(`the cursor at ${want}`, async () => {
      const s = await cursorStatus();
      return s.startsWith(want) && s;
    });
    // and the declaration is on screen
    const box = await poll('"Aleksandr G. Lukashenko" on screen', () => wordBox('Aleksandr G. Lukashenko', 'President Aleksandr G. Lukashenko'));
    return [`from ${from} to ${at}`, `declaration on screen at y=${box.y.toFixed(0)}`];
  });

  await step('rename', 'F2 on "Aleksandr G. Lukashenko" → "Alexander Lukashenka" renames every mention', async () => {
    await clickWord('Aleksandr', 'President Aleksandr G. Lukashenko');
    await page.keyboard.press('F2');
    // the box is ready when it holds the name, has the focus and the whole name selected
    const ready = (want) =>
      page.evaluate((want) => {
        const i = document.querySelector('.editor-instance .rename-box input.rename-input');
        return !!i && i.getBoundingClientRect().height > 0 && i.value === want && document.activeElement === i && i.selectionStart === 0 && i.selectionEnd === i.value.length;
      }, want);
    await poll('the rename box with the full name selected', () => ready(lukashenko.name));
    const newName = 'Alexander Lukashenka';
    await page.keyboard.type(newName);
    const typed = await page.$eval('.editor-instance .rename-box input.rename-input', (i) => i.value);
    if (typed !== newName) throw new Error(`the rename box holds "${typed}" after typing "${newName}"`);
    await screenshot('rename-box');
    await page.keyboard.press('Enter');
    await poll('the rename box to close', async () => (await page.$('.editor-instance .rename-box input.rename-input:visible')) === null);
    await poll('the renamed declaration', async () => (await renderedRows()).rows.some((r) => r.includes('President Alexander Lukashenka')));
    const scan = await scanDocument(sampleLines);
    const all = scan.rows.join('\n');
    const left = scan.rows.filter((r) => r.includes('Lukashenko'));
    if (left.length) throw new Error(`"Lukashenko" is still on screen after the rename: ${left.slice(0, 3).join(' | ')}`);
    for (const expect of ['Mr. Lukashenka', 'Under Siege in Belarus, Lukashenka Turns to Putin', 'President Alexander Lukashenka']) {
      if (!all.includes(expect)) throw new Error(`"${expect}" is not on screen after the rename`);
    }
    const found = await findCount('Lukashenko');
    if (!/no results/i.test(found)) throw new Error(`Find still counts "Lukashenko": ${found}`);
    const renamed = await findCount('Lukashenka');
    const mentions = renamed.match(/of (\d+)/)?.[1];
    if (Number(mentions) !== lukashenko.mentions.length) throw new Error(`Find counts "${renamed}" for "Lukashenka"; the CLI has ${lukashenko.mentions.length} mentions`);
    await page.keyboard.press('Control+Home');
    await poll('the headline on screen', async () => (await renderedRows()).first === 1);
    return [`${scan.rows.length} rows scanned in ${scan.pages} screens, none with "Lukashenko"`, `Find "Lukashenko": ${found}; "Lukashenka": ${renamed}`];
  });

  await step('rename-undo', 'Ctrl+Z undoes the whole rename', async () => {
    await page.keyboard.press('Control+Z'); // the focus is back in the editor since the Find widget closed
    await poll('"Mr. Lukashenko" and the headline restored', async () => {
      const rows = (await renderedRows()).rows;
      return rows.some((r) => r.includes('Under Siege in Belarus, Lukashenko Turns to Putin')) && rows.some((r) => r.includes('President Aleksandr G. Lukashenko')) && rows.some((r) => r.includes('Mr. Lukashenko'));
    });
    const found = await findCount('Lukashenko');
    if (Number(found.match(/of (\d+)/)?.[1]) !== lukashenko.mentions.length) throw new Error(`after undo Find counts "${found}" for "Lukashenko"`);
    const stale = await findCount('Lukashenka');
    if (!/no results/i.test(stale)) throw new Error(`after undo Find still counts "Lukashenka": ${stale}`);
    await page.keyboard.press('Control+Home');
    await poll('the headline on screen', async () => (await renderedRows()).first === 1);
    return [`Find "Lukashenko": ${found}; "Lukashenka": ${stale}`];
  });

  await step('rename-refused', 'F2 on a plain word ("protests") says only names can be renamed', async () => {
    await clickWord('protests', 'a wave of protests');
    await page.keyboard.press('F2');
    const message = await poll('the refusal message', () =>
      page.evaluate(() => {
        const m = [...document.querySelectorAll('.monaco-editor-overlaymessage, .notifications-toasts .notification-toast')].map((e) => e.innerText.trim()).join(' | ');
        return /person, place or organization/.test(m) && m;
      }),
    );
    if (await page.$('.editor-instance .rename-box input.rename-input:visible')) throw new Error('a rename box opened on a plain word');
    return [`message: "${message}"`];
  });
  await page.keyboard.press('Escape');

  await step('dictionary-plain-word', 'Ctrl+. on a plain word offers no team-dictionary correction', async () => {
    // the cursor is still in "protests"
    await page.keyboard.press('Control+.');
    const answer = await poll('the code action menu or "No code actions"', async () => {
      const labels = await page.$$eval('.action-widget .monaco-list-row.action', (rs) => rs.map((r) => r.getAttribute('aria-label') ?? r.textContent));
      if (labels.length) return labels.join(' | ');
      const message = await page.evaluate(() => [...document.querySelectorAll('.monaco-editor-overlaymessage')].map((e) => e.innerText.trim()).join(' | '));
      return /no code actions/i.test(message) && message;
    });
    if (/team dictionary/.test(answer)) throw new Error(`a plain word is offered corrections: ${answer}`);
    return [`Ctrl+. says: ${answer}`];
  });
  await page.keyboard.press('Escape');

  await step('dictionary-fix', 'the quick fix “West” is not an entity (team dictionary) takes its colour and a place off the lens', async () => {
    const lensText = () => page.$eval('.editor-instance .monaco-editor .codelens-decoration', (e) => e.innerText.trim()).catch(() => '');
    const places = (t) => Number(t.match(/(\d+) places?/)?.[1]);
    const before = await poll('the code lens', lensText);
    const west = await clickWord('West', 'Russia and the West for');
    const plain = await wordBox('danced', 'has danced between');
    if (west.color === plain?.color) throw new Error(`"West" is not coloured as a place before the fix (${west.color})`);
    await page.keyboard.press('Control+.');
    const want = '“West” is not an entity (team dictionary)';
    const actions = await poll('the team-dictionary corrections for “West”', async () => {
      const labels = await page.$$eval('.action-widget .monaco-list-row.action', (rs) => rs.map((r) => r.getAttribute('aria-label') ?? r.textContent));
      return labels.includes(want) && labels;
    });
    for (const other of ['Mark “West” as a person (team dictionary)', 'Mark “West” as an organization (team dictionary)']) {
      if (!actions.includes(other)) throw new Error(`"${other}" is missing from the menu: ${actions.join(' | ')}`);
    }
    if (actions.some((a) => /as a place/.test(a))) throw new Error(`the menu offers to mark a place as a place: ${actions.join(' | ')}`);
    await screenshot('dictionary-menu');
    await poll(`"${want}" focused in the menu`, async () => {
      const focused = await page.$eval('.action-widget .monaco-list-row.action.focused', (r) => r.getAttribute('aria-label')).catch(() => null);
      if (focused === want) return true;
      await page.keyboard.press('ArrowDown');
      return false;
    });
    await page.keyboard.press('Enter');
    let seen;
    const after = await poll('"West" in the plain text colour', async () => {
      const w = await wordBox('West', 'Russia and the West for');
      const p = await wordBox('danced', 'has danced between');
      seen = `"West" ${w?.color} (${w?.className}), "danced" ${p?.color} (${p?.className})`;
      return w && p && w.color === p.color && w;
    }).catch((error) => {
      throw new Error(`${error.message}: ${seen}`);
    });
    const lens = await poll('one place fewer on the code lens', async () => {
      const t = await lensText();
      return places(t) === places(before) - 1 && t;
    });
    // Observation, not a check (LSP has no refresh request for document symbols): does the
    // Outline drop "West" too, without an edit to the article?
    const outlineWest = async () => (await page.$$eval('.outline-pane .monaco-list-row', (rs) => rs.map((r) => r.getAttribute('aria-label') ?? r.textContent))).some((l) => l.startsWith('West'));
    const outlineNote = (await poll('the Outline to drop "West"', async () => !(await outlineWest()), 3000).catch(() => false))
      ? 'the Outline dropped "West"'
      : 'NOTE: the Outline still lists "West" 3 s after the dictionary change (stale until the article is edited)';
    const file = join(workspace, '.article-lens.json');
    const saved = existsSync(file) ? readFileSync(file, 'utf8').replace(/\s+/g, ' ') : '(not written)';
    return [`menu: ${actions.join(' | ')}`, `"West" ${west.color} → ${after.color}; lens "${before}" → "${lens}"`, `.article-lens.json: ${saved}`, outlineNote];
  });

  // ------------------------------------------------ crash and restart
  const serverModule = join(extensions, installedDir, 'server', 'out', 'server.js');
  /** Pids of the running language servers: processes whose command line runs the installed server.js. */
  const serverPids = () =>
    spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
      .stdout.split('\n')
      .filter((l) => l.includes(serverModule))
      .map((l) => Number(l.trim().split(/\s+/)[0]));
  const restartMessage = 'The Article Lens server stopped unexpectedly and was restarted.';

  /** The messages in the notification centre (toasts hide after a while; the centre keeps them). */
  const notificationCentre = async () => {
    await runCommand('Notifications: Show Notifications');
    const rows = await poll('the notification centre', async () => {
      if (!(await page.isVisible('.notifications-center'))) return false;
      return page.$$eval('.notifications-center .monaco-list-row', (rs) => rs.map((r) => (r.getAttribute('aria-label') || r.textContent).replace(/\s+/g, ' ').trim()));
    });
    await runCommand('Notifications: Hide Notifications');
    await poll('the notification centre to close', async () => !(await page.isVisible('.notifications-center')));
    return rows;
  };
  const probeColours = async () => {
    const line = 'Mr. Lukashenko, the Kremlin said in a statement';
    const p = { person: await wordBox('Lukashenko', line), place: await wordBox('Moscow', 'was accusing Moscow'), organization: await wordBox('Kremlin', line), plain: await wordBox('statement', line) };
    return p.person && p.place && p.organization && p.plain ? Object.fromEntries(Object.entries(p).map(([k, v]) => [k, v.color])) : null;
  };
  const coloured = (c) => c && new Set([c.person, c.place, c.organization, c.plain]).size === 4;
  const plainOnly = (c) => c && c.person === c.plain && c.place === c.plain && c.organization === c.plain;
  const lensText = () => page.$eval('.editor-instance .monaco-editor .codelens-decoration', (e) => e.innerText.trim()).catch(() => '');
  const people = async () => Number((await statusItem())?.text.match(/(\d+) (?:people|person)/)?.[1]);
  /** SIGKILL the one running server; wait for the client to start another. Returns both pids. */
  async function crashServer() {
    const [old] = await poll('one running server', () => {
      const pids = serverPids();
      return pids.length === 1 && pids;
    });
    const killedAt = Date.now();
    process.kill(old, 'SIGKILL');
    const [fresh] = await poll('a new server process', () => {
      const pids = serverPids();
      return pids.length === 1 && pids[0] !== old && pids;
    });
    return { old, fresh, killedAt };
  }

  let personColour;
  await step('crash-restart', 'SIGKILL on the server: it is restarted, its colours, code lens, status and hovers come back', async () => {
    await page.keyboard.press('Control+Home');
    await poll('the headline on screen', async () => (await renderedRows())?.first === 1);
    const before = await poll('the colours before the crash', async () => {
      const c = await probeColours();
      return coloured(c) && c;
    });
    const lensBefore = await poll('the code lens', lensText);
    const { old, fresh, killedAt } = await crashServer();
    // the client drops the dead server's colours, lens and status at once …
    const gone = await poll('the colours, code lens and counts to go', async () => plainOnly(await probeColours()) && !(await lensText()) && !/\d/.test((await statusItem())?.text ?? '1') && Date.now() - killedAt, 10_000, 20);
    // … and the new server brings them back without an edit
    const back = await poll('the colours back', async () => {
      const c = await probeColours();
      return coloured(c) && c;
    });
    personColour = back.person;
    if (JSON.stringify(back) !== JSON.stringify(before)) throw new Error(`the colours after the restart ${JSON.stringify(back)} differ from before ${JSON.stringify(before)}`);
    const lens = await poll('the code lens back', lensText);
    if (lens !== lensBefore) throw new Error(`the code lens says "${lens}" after the restart, "${lensBefore}" before`);
    const item = await poll('the status counts back', async () => {
      const s = await statusItem();
      return s && /\d+ people/.test(s.text) && s.text;
    });
    const backAt = Date.now() - killedAt;
    const card = await hoverUntil('Lukashenko', 'Mr. Lukashenko, the Kremlin said in a statement', ['Aleksandr G. Lukashenko', 'President of Belarus']);
    const hoverAt = Date.now() - killedAt;
    await page.mouse.move(5, 450);
    return [
      `server pid ${old} killed, new server pid ${fresh}`,
      `colours, lens and counts gone ${gone} ms after the kill; back after ${backAt} ms: ${JSON.stringify(back)}; lens "${lens}"; status "${item}"`,
      `hover back after ${hoverAt} ms: ${card.split('\n').filter(Boolean).slice(0, 2).join(' | ')}`,
    ];
  });

  await step('crash-edit', 'after the restart an edit is analysed by the new server (colour, count, hover)', async () => {
    const peopleBefore = await people();
    // a new paragraph in the body (typed after the "Check Also" furniture it would be boilerplate)
    await clickWord('When', 'When protesters took to the streets');
    await page.keyboard.press('Home');
    await page.keyboard.insertText('Angela Merkel, the German chancellor, said in Berlin that she was worried.');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    const colour = await poll('"Merkel" coloured as a person', async () => {
      const m = await wordBox('Merkel', 'Angela Merkel, the German');
      return m && m.color === personColour && m.color;
    });
    await poll('one person more in the status bar', async () => (await people()) === peopleBefore + 1);
    const card = await hoverUntil('Merkel', 'Angela Merkel, the German', ['Angela Merkel', 'the German chancellor']);
    await page.mouse.move(5, 450);
    return [`"Merkel" ${colour}; people ${peopleBefore} → ${peopleBefore + 1}; card: ${card.split('\n').filter(Boolean).slice(0, 2).join(' | ')}`];
  });

  await step('crash-again', 'a second crash: the new server gets the unsaved text, and the message was shown exactly once', async () => {
    if (!(await page.$('.tabs-container .tab.active.dirty'))) throw new Error('the sample is not dirty: the edit was saved');
    const { old, fresh, killedAt } = await crashServer();
    // the edit is not saved: the new server must have the buffer (didOpen with the editor's text), not the file
    const card = await hoverUntil('Merkel', 'Angela Merkel, the German', ['Angela Merkel', 'the German chancellor']);
    const hoverAt = Date.now() - killedAt;
    await page.mouse.move(5, 450);
    const messages = await notificationCentre();
    const restarts = messages.filter((m) => m.includes(restartMessage));
    if (restarts.length !== 1) throw new Error(`the restart message is in the notification centre ${restarts.length} times: ${messages.join(' | ')}`);
    const others = messages.filter((m) => /Article Lens|server/i.test(m) && !m.includes(restartMessage));
    if (others.length) throw new Error(`other server messages: ${others.join(' | ')}`);
    return [`server pid ${old} killed, new server pid ${fresh}; hover on the unsaved "Merkel" after ${hoverAt} ms: ${card.split('\n').filter(Boolean)[0]}`, `notifications: ${messages.join(' | ')}`];
  });

  await step('file-deleted', 'the open sample deleted on disk: the editor keeps the buffer, the extension keeps working on it', async () => {
    rmSync(join(workspace, 'seeds', SAMPLE));
    await poll('the tab marked as deleted', () => page.$('.tabs-container .tab.active .monaco-icon-label.strikethrough'));
    const peopleBefore = await people();
    await clickWord('Angela', 'Angela Merkel, the German');
    await page.keyboard.press('Home');
    await page.keyboard.insertText('Emmanuel Macron, the French president, agreed.');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await poll('one person more in the status bar', async () => (await people()) === peopleBefore + 1);
    const card = await hoverUntil('Macron', 'Emmanuel Macron, the French', ['Emmanuel Macron', 'the French president']);
    await page.mouse.move(5, 450);
    const again = await hoverUntil('Merkel', 'Angela Merkel, the German', ['Angela Merkel']);
    await page.mouse.move(5, 450);
    if (existsSync(join(workspace, 'seeds', SAMPLE))) throw new Error('the deleted file is back on disk');
    return [`people ${peopleBefore} → ${peopleBefore + 1}; card: ${card.split('\n').filter(Boolean).slice(0, 2).join(' | ')}; Merkel: ${again.split('\n').filter(Boolean)[0]}`];
  });

  await step('long-article', 'a 400 KB article is parsed in the server\'s worker thread and analysed; its hovers work', async () => {
    // the sample's paragraphs, renumbered, many times over: a long wire-style file
    const sample = readFileSync(join(root, 'seeds', SAMPLE), 'utf8').split(/\n\s*\n/).filter((p) => p.trim());
    const parts = [];
    for (let i = 0; parts.join('\n\n').length < 400_000; i++) parts.push(sample[i % sample.length].replace(/\.$/, ` (${i}).`));
    const LONG = 'long-wire.article.txt';
    writeFileSync(join(workspace, LONG), parts.join('\n\n'));
    const started = Date.now();
    await openFile(LONG);
    await poll('people counted for the long article', async () => (await people()) > 0, 60_000);
    const took = Date.now() - started;
    const logs = (dir) =>
      existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? logs(join(dir, d.name)) : /Article Lens\.log$/.test(d.name) ? [join(dir, d.name)] : [])) : [];
    const log = await poll('the worker thread in the Article Lens log', () => {
      const text = logs(join(userData, 'logs')).map((f) => readFileSync(f, 'utf8')).join('\n');
      return text.includes('parsing a long article in a worker thread') && text;
    });
    if (log.includes('parse worker failed')) throw new Error(`the worker failed: ${log.split('\n').find((l) => l.includes('parse worker failed'))}`);
    const card = await hoverUntil('Lukashenko', 'Mr. Lukashenko', ['Lukashenko']);
    await page.mouse.move(5, 450);
    return [`${Math.round(parts.join('\n\n').length / 1000)} KB analysed ${took} ms after opening; status: "${(await statusItem())?.text}"`, `log: ${log.split('\n').find((l) => l.includes('worker thread')).trim()}`, `hover: ${card.split('\n').filter(Boolean)[0]}`];
  });

  // ------------------------------------------------ Restricted Mode
  /** The working directory of a process. */
  const cwdOf = (pid) => {
    try {
      return readlinkSync(`/proc/${pid}/cwd`);
    } catch {
      return '(unknown)';
    }
  };
  await step('restricted', 'in a folder opened in Restricted Mode the extension colours, hovers and checks quotes; its server runs from the extension folder', async () => {
    const trustedServers = serverPids();
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    const brokenUri = `vscode-remote://127.0.0.1:${port}${join(restricted, BROKEN)}`;
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(restricted)}&payload=${encodeURIComponent(JSON.stringify([['openFile', brokenUri]]))}`);
    await poll('the workbench', () => page.$('.monaco-workbench'), 60_000);
    await answerTrust(false);
    const indicator = await poll('the Restricted Mode indicator', () =>
      page.evaluate(() => [...document.querySelectorAll('.statusbar-item, .banner')].map((e) => e.innerText.trim()).find((t) => /Restricted Mode/.test(t))),
    );
    await poll('the article in the editor', () => wordBox('Delgado', 'said Maria Delgado'), 60_000);
    const item = await poll('the Article Lens status item with counts', async () => {
      const s = await statusItem();
      return s && /\d+ people/.test(s.text) && s.text;
    });
    const squiggle = await poll('the error squiggle of the unclosed quote', () => page.$('.editor-instance .monaco-editor .squiggly-error'));
    const colours = await poll('a person and a place coloured', async () => {
      const person = await wordBox('Delgado', 'said Maria Delgado');
      const place = await wordBox('PORTLAND', 'PORTLAND, Maine');
      const plain = await wordBox('postponed', 'The city council postponed');
      return person && place && plain && new Set([person.color, place.color, plain.color]).size === 3 && { person: person.color, place: place.color, plain: plain.color };
    });
    // VS Code boxes every non-ASCII character in Restricted Mode unless the language turns it off: an
    // article is full of curly quotes and dashes (invisible characters are still highlighted). (The
    // editor may box them for a moment while the file is still plain text: none once it is an article.)
    const boxed = () => page.$$eval('.editor-instance .monaco-editor .unicode-highlight', (e) => e.length);
    await poll('no character boxed as unusual Unicode', async () => (await boxed()) === 0, 10_000).catch(async () => {
      throw new Error(`${await boxed()} characters are boxed as unusual Unicode in the article`);
    });
    const card = await hoverUntil('Delgado', 'said Maria Delgado', ['Maria Delgado', 'council president']);
    await page.mouse.move(5, 450);
    // the one limitation (package.json: untrustedWorkspaces "limited"): no team-dictionary write into the folder
    await clickWord('Delgado', 'said Maria Delgado');
    await page.keyboard.press('Control+.');
    const menu = await poll('the code action menu or "No code actions"', async () => {
      const rows = await page.$$eval('.action-widget .monaco-list-row.action', (rs) => rs.map((r) => ({ label: r.getAttribute('aria-label') ?? r.textContent, disabled: r.classList.contains('option-disabled') || r.getAttribute('aria-disabled') === 'true' })));
      if (rows.length) return rows;
      const message = await page.evaluate(() => [...document.querySelectorAll('.monaco-editor-overlaymessage')].map((e) => e.innerText.trim()).join(' | '));
      return /no code actions/i.test(message) && [{ label: message, disabled: true }];
    });
    await page.keyboard.press('Escape');
    const enabled = menu.filter((r) => /team dictionary/.test(r.label) && !r.disabled);
    if (enabled.length) throw new Error(`team-dictionary fixes are enabled in Restricted Mode: ${enabled.map((r) => r.label).join(' | ')}`);
    if (existsSync(join(restricted, '.article-lens.json'))) throw new Error('.article-lens.json was written in Restricted Mode');
    // this window's own server: started from the installed extension, in the extension's folder
    const [server] = await poll("the restricted window's server", () => {
      const pids = serverPids().filter((p) => !trustedServers.includes(p));
      return pids.length === 1 && pids;
    });
    const extensionDir = join(extensions, installedDir);
    for (const pid of [server, ...serverPids()]) {
      if (cwdOf(pid) !== extensionDir) throw new Error(`server ${pid} runs in ${cwdOf(pid)}, not in the extension folder ${extensionDir}`);
    }
    if (!squiggle) throw new Error('no squiggle');
    return [`indicator: "${indicator.split('\n')[0]}"`, `status "${item}"; colours ${JSON.stringify(colours)}`, `card: ${card.split('\n').filter(Boolean).slice(0, 2).join(' | ')}`, `Ctrl+. on "Delgado": ${menu.map((r) => `${r.label}${r.disabled ? ' (disabled)' : ''}`).join(' | ')}`, `server pid ${server} cwd ${cwdOf(server).slice(root.length + 1)}`];
  });

  if (pageErrors.length) console.log(`page errors (not failures): ${pageErrors.slice(0, 3).join(' | ')}`);
  exitCode = 0;
} catch (error) {
  if (!failed) {
    failed++;
    console.log(`  ✗ ${String(error?.stack ?? error)}`);
  }
  console.log(`\ncode-server log: ${logFile}`);
  try {
    console.log(readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n'));
  } catch {
    // no log
  }
  const findLogs = (dir) =>
    existsSync(dir)
      ? readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? findLogs(join(dir, d.name)) : /exthost\.log$|Article Lens\.log$/.test(d.name) ? [join(dir, d.name)] : []))
      : [];
  for (const file of findLogs(join(userData, 'logs'))) {
    console.log(`--- ${file}\n${readFileSync(file, 'utf8').split('\n').slice(-20).join('\n')}`);
  }
} finally {
  await stopAll();
}
console.log(`\nscreenshots: ${artifacts} [${elapsed()}]`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : exitCode);

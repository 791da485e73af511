import { promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BRAT_CONF, exportFiles } from '../analysis/export';
import type { Article, Finding } from '../analysis/types';
import type { ExportParams, ExportResult } from '../protocol';

/**
 * Write an article's annotations: `<stem>.json` (the CLI schema, audits
 * included) and brat standoff `<stem>.ann`, beside the article or into
 * `params.directory` (then with a `.txt` copy and an `annotation.conf`, so
 * the directory is a complete brat collection).
 */
export async function exportArticle(
  params: ExportParams,
  /**
   * the document's article now and the audit findings to add, asked for after the file is
   * read (an article is read in the same turn it is current in: the next edit's analysis
   * consumes it); undefined when the document is no longer open
   */
  current: () => Promise<{ article: Article; findings: Finding[] } | undefined>,
): Promise<ExportResult | undefined> {
  let source: string | undefined;
  if (params.uri.startsWith('file:')) {
    try {
      source = fileURLToPath(params.uri);
    } catch {
      source = undefined;
    }
  }
  const fileName = source ?? (params.uri.replace(/^.*[/:]/, '') || 'untitled');
  const directory = params.directory ?? (source ? dirname(source) : undefined);
  const standalone = params.directory !== undefined;
  // brat reads the file beside the .ann as it is on disk, byte-order mark included
  const hasBom = !standalone && !!source && (await startsWithBom(source));
  const now = await current();
  if (!now) return undefined;
  const files = exportFiles(fileName, now.article, { extraFindings: now.findings, standalone, bom: hasBom, reportName: source ?? params.uri });
  if (standalone) files.push({ name: 'annotation.conf', content: BRAT_CONF });
  if (params.dryRun || !directory) return { files: files.map((f) => ({ path: directory ? join(directory, f.name) : f.name, content: f.content })) };
  await fs.mkdir(directory, { recursive: true });
  const out: ExportResult['files'] = [];
  for (const f of files) {
    const path = join(directory, f.name);
    // never replace an existing brat configuration, nor the article itself
    if (f.name === 'annotation.conf' && (await exists(path))) continue;
    if (source && path === source) continue;
    await fs.writeFile(path, f.content, 'utf8');
    out.push({ path, content: f.content });
  }
  return { files: out };
}

async function exists(path: string): Promise<boolean> {
  try {
    await fs.access(path);
    return true;
  } catch {
    return false;
  }
}

async function startsWithBom(path: string): Promise<boolean> {
  try {
    const handle = await fs.open(path, 'r');
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(3), 0, 3, 0);
      return bytesRead === 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf;
    } finally {
      await handle.close();
    }
  } catch {
    return false;
  }
}

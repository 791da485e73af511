/**
 * Random edit sequences through the real protocol: the built server over stdio.
 * After each sequence of incremental didChange notifications, the server's answers
 * (semantic tokens, document symbols, folding ranges, diagnostics, hovers) must
 * equal those for a freshly opened document with the same text.
 *
 * One server, many documents; sequences run a few at a time. A mismatch prints the
 * base text and the edits as JSON so it can be replayed.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentSymbol, FoldingRange, Hover, SemanticTokens, TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { startClient, type TestClient } from '../protocol/lspClient';
import { ASTRAL, hostileText, LINE_BREAKS, newsFragment, QUOTE_MARKS } from './arbitraries';
import { EDIT_BASE_CHARS, EDIT_SEQUENCES, LONG, SEED } from './config';

/** An edit as fractions of the current length, so it applies to any text. */
interface Edit {
  at: number;
  len: number;
  text: string;
  /** send it as a full-text change instead of a range */
  full?: boolean;
  /** batch it with the previous edit in one didChange */
  batch?: boolean;
  /** ask for tokens right after (forces an analysis of an intermediate version) */
  poke?: boolean;
}

const insertText = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...QUOTE_MARKS) },
  { weight: 3, arbitrary: fc.constantFrom(...LINE_BREAKS, '\n\n', '\n\n', '\r\n\r\n') },
  { weight: 2, arbitrary: fc.constantFrom(...ASTRAL) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'Anna Petrova',
      ' said',
      '“We will win,” she said.',
      '“The talks failed.\n\n“We will try again,” he added.',
      ' Mr. Kowalski ',
      'Minsk',
      'the Kremlin',
      'MOSCOW — ',
      'By Olga Varga\n\n',
      ', according to the ministry',
      ' ',
      '',
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }) },
  { weight: 1, arbitrary: newsFragment.map((s) => s.slice(0, 200)) },
);

const edit: fc.Arbitrary<Edit> = fc.record(
  {
    at: fc.integer({ min: 0, max: 1_000_000 }).map((x) => x / 1_000_000),
    len: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 60 })),
    text: insertText,
    full: fc.integer({ min: 0, max: 19 }).map((x) => x === 0),
    batch: fc.boolean(),
    poke: fc.integer({ min: 0, max: 4 }).map((x) => x === 0),
  },
  { requiredKeys: ['at', 'len', 'text'] },
);

const base = fc.oneof({ weight: 3, arbitrary: newsFragment.map((s) => s.slice(0, EDIT_BASE_CHARS)) }, { weight: 1, arbitrary: hostileText.map((s) => s.slice(0, EDIT_BASE_CHARS)) }, { weight: 1, arbitrary: fc.constant('') });

const sequence = fc.record({ base, edits: fc.array(edit, { minLength: 1, maxLength: LONG ? 20 : 8 }) });

interface Answers {
  tokens: number[];
  symbols: DocumentSymbol[];
  folding: FoldingRange[];
  diagnostics: unknown[];
  hovers: (Hover | null)[];
}

describe('random edit sequences through the protocol', () => {
  let client: TestClient;
  const stats = { sequences: 0, edits: 0, didChange: 0, chars: 0, mismatches: 0 };

  beforeAll(async () => {
    client = await startClient();
  });

  afterAll(async () => {
    await client?.stop();
  });

  async function answers(uri: string, version: number, probes: number[], doc: TextDocument): Promise<Answers> {
    const c = client.connection;
    const textDocument = { uri };
    const [tokens, symbols, folding] = await Promise.all([
      c.sendRequest<SemanticTokens>('textDocument/semanticTokens/full', { textDocument }),
      c.sendRequest<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument }),
      c.sendRequest<FoldingRange[]>('textDocument/foldingRange', { textDocument }),
    ]);
    const hovers = await Promise.all(probes.map((o) => c.sendRequest<Hover | null>('textDocument/hover', { textDocument, position: doc.positionAt(o) })));
    await client.waitForAnalysis(uri, version, 30_000);
    return { tokens: tokens.data, symbols, folding, diagnostics: client.latestDiagnostics(uri), hovers };
  }

  async function runSequence(n: number, seq: { base: string; edits: Edit[] }): Promise<string | undefined> {
    const uri = `file:///fuzz/edit-${n}.article.txt`;
    const freshUri = `file:///fuzz/fresh-${n}.article.txt`;
    let doc = TextDocument.create(uri, 'article', 1, seq.base);
    await client.open(uri, seq.base, 1);
    let version = 1;
    let pending: TextDocumentContentChangeEvent[] = [];
    const flush = async () => {
      if (!pending.length) return;
      version++;
      doc = TextDocument.update(doc, pending, version);
      await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: pending });
      stats.didChange++;
      pending = [];
    };
    // the edits are applied to a scratch copy to know the text each change sees
    let scratch = TextDocument.create(uri, 'article', 1, seq.base);
    for (const e of seq.edits) {
      if (!e.batch) await flush();
      const text = scratch.getText();
      if (e.full) {
        const next = text.slice(0, Math.floor(e.at * text.length)) + e.text + text.slice(Math.floor(e.at * text.length));
        pending.push({ text: next });
      } else {
        const start = Math.floor(e.at * text.length);
        const end = Math.min(text.length, start + e.len);
        pending.push({ range: { start: scratch.positionAt(start), end: scratch.positionAt(end) }, text: e.text });
      }
      scratch = TextDocument.update(scratch, [pending[pending.length - 1]], scratch.version + 1);
      stats.edits++;
      if (e.poke) {
        await flush();
        void client.connection.sendRequest('textDocument/semanticTokens/full', { textDocument: { uri } });
      }
    }
    await flush();
    const text = doc.getText();
    if (text !== scratch.getText()) return `test bug: ${JSON.stringify(text)} != ${JSON.stringify(scratch.getText())}`;
    stats.chars += text.length;
    await client.open(freshUri, text, 1);
    const probes = [0, text.length >> 1, text.length, Math.floor(text.length / 3)];
    const [edited, fresh] = await Promise.all([answers(uri, version, probes, doc), answers(freshUri, 1, probes, TextDocument.create(freshUri, 'article', 1, text))]);
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: freshUri } });
    // related information names the document itself: compare without the uri
    const same = (k: keyof Answers) => JSON.stringify(edited[k]).split(uri).join('URI') === JSON.stringify(fresh[k]).split(freshUri).join('URI');
    const differs = (['tokens', 'symbols', 'folding', 'diagnostics', 'hovers'] as const).filter((k) => !same(k));
    if (!differs.length) return undefined;
    stats.mismatches++;
    return `sequence ${n}: ${differs.join(', ')} differ after edits\nbase: ${JSON.stringify(seq.base)}\nedits: ${JSON.stringify(seq.edits)}\nfinal: ${JSON.stringify(text)}\n${differs
      .map((k) => `${k}: edited ${JSON.stringify(edited[k]).slice(0, 400)}\n${k}: fresh  ${JSON.stringify(fresh[k]).slice(0, 400)}`)
      .join('\n')}`;
  }

  it(`${EDIT_SEQUENCES} sequences give the same answers as a fresh document`, async () => {
    const sequences = fc.sample(sequence, { numRuns: EDIT_SEQUENCES, ...(SEED !== undefined ? { seed: SEED } : {}) });
    const failures: string[] = [];
    const logged: string[] = [];
    const t0 = performance.now();
    const parallel = 6;
    for (let i = 0; i < sequences.length; i += parallel) {
      const batch = sequences.slice(i, i + parallel);
      const results = await Promise.all(batch.map((s, j) => runSequence(i + j, s)));
      stats.sequences += batch.length;
      for (const r of results) if (r) failures.push(r);
      for (const m of client.notifications) {
        const p = m.params as { type?: number; message?: string };
        if (m.method === 'window/logMessage' && p.type === 1) logged.push(p.message ?? '');
      }
      // the test client keeps every notification: drop the ones of finished sequences
      client.notifications.length = 0;
      client.diagnostics.length = 0;
      if (failures.length >= 5) break;
      expect(client.process.exitCode, client.stderr.join('')).toBeNull();
    }
    const seconds = (performance.now() - t0) / 1000;
    console.log(
      `edits: ${stats.sequences} sequences, ${stats.edits} edits in ${stats.didChange} didChange, ${stats.chars} final chars, ${stats.mismatches} mismatches, ${seconds.toFixed(1)} s (${((seconds * 1000) / stats.sequences).toFixed(1)} ms/sequence)`,
    );
    expect(logged.slice(0, 3)).toEqual([]);
    const errors = client.stderr.join('');
    expect(failures.slice(0, 3).join('\n\n')).toBe('');
    expect(errors).not.toMatch(/could not analyse|request failed|uncaught|TypeError|RangeError/i);
    expect(stats.sequences).toBe(EDIT_SEQUENCES);
  }, 900_000);
});

#!/usr/bin/env node
/**
 * Article Lens language server: capabilities and wiring only.
 * Runs over IPC (VS Code) or `--stdio` (any LSP editor).
 */
import {
  CancellationToken,
  createConnection,
  LSPErrorCodes,
  ResponseError,
  DidChangeConfigurationNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Article } from './analysis/types';
import { toReport } from './analysis/report';
import { provideCodeActions } from './features/codeActions';
import { provideDiagnostics } from './features/diagnostics';
import { provideHover } from './features/hover';
import { toSpan } from './features/ranges';
import { legend, SemanticTokensProvider } from './features/semanticTokens';
import { provideDocumentSymbols, provideFoldingRanges } from './features/symbols';
import {
  AnalysisRequest,
  defaultSettings,
  resolveSettings,
  ServerStatsRequest,
  StatusNotification,
  type AnalysisParams,
  type ArticleLensSettings,
  type ServerStats,
  type StatusParams,
} from './protocol';
import { ArticleStore } from './store';

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const tokens = new SemanticTokensProvider();
  const published = new Map<string, string>();
  let settings: ArticleLensSettings = defaultSettings;
  let pullConfiguration = false;

  const store = new ArticleStore({
    current: (uri) => documents.get(uri),
    options: () => ({ scareQuoteHints: true }),
    analyzed: (doc, article) => {
      const current = documents.get(doc.uri);
      if (current) publish(current, article);
    },
    failed: (doc, error) => connection.console.error(`Article Lens could not analyse ${doc.uri}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
  });

  /** Push diagnostics only when they changed; tell the client the counts for its status bar. */
  function publish(doc: TextDocument, article: Article): void {
    const diagnostics = provideDiagnostics(doc, article, settings);
    const key = JSON.stringify(diagnostics);
    if (published.get(doc.uri) !== key) {
      published.set(doc.uri, key);
      void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
    }
    const s = article.stats;
    const status: StatusParams = {
      uri: doc.uri,
      version: doc.version,
      people: s.people,
      places: s.places,
      organizations: s.organizations,
      quotes: s.quotes,
      unattributedQuotes: s.unattributedQuotes,
      millis: Math.round(s.millis),
    };
    void connection.sendNotification(StatusNotification, status);
  }

  /** Run a handler against the current article of a document; unknown documents and failures give `fallback`. */
  async function withArticle<T>(uri: string, fallback: T, fn: (doc: TextDocument, article: Article) => T, token?: CancellationToken): Promise<T | ResponseError<void>> {
    try {
      const article = await store.get(uri);
      if (token?.isCancellationRequested) return new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
      const doc = documents.get(uri);
      if (!article || !doc || doc.getText() !== article.text) return fallback;
      return fn(doc, article);
    } catch (error) {
      connection.console.error(`Article Lens request failed for ${uri}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return fallback;
    }
  }

  async function loadSettings(): Promise<void> {
    if (!pullConfiguration) return;
    try {
      settings = resolveSettings(await connection.workspace.getConfiguration('articleLens'));
    } catch {
      settings = defaultSettings;
    }
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    pullConfiguration = !!params.capabilities.workspace?.configuration;
    const init = params.initializationOptions as { settings?: unknown } | undefined;
    if (init?.settings) settings = resolveSettings(init.settings);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        documentSymbolProvider: { label: 'Article Lens' },
        foldingRangeProvider: true,
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        semanticTokensProvider: { legend, full: { delta: true }, range: true },
      },
      serverInfo: { name: 'article-lens', version: '0.1.0' },
    };
  });

  connection.onInitialized(async () => {
    if (pullConfiguration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'articleLens' }).catch(() => undefined);
      await loadSettings();
      for (const doc of documents.all()) {
        const article = store.peek(doc.uri);
        if (article && article.text === doc.getText()) publish(doc, article);
      }
    }
  });

  connection.onDidChangeConfiguration(async (change) => {
    if (pullConfiguration) await loadSettings();
    else settings = resolveSettings((change.settings as { articleLens?: unknown } | undefined)?.articleLens);
    published.clear();
    for (const doc of documents.all()) {
      const article = await store.get(doc.uri);
      const current = documents.get(doc.uri);
      if (article && current) publish(current, article);
    }
    connection.languages.semanticTokens.refresh();
  });

  documents.onDidOpen((e) => void store.analyze(e.document));
  documents.onDidChangeContent((e) => void store.analyze(e.document));
  documents.onDidClose((e) => {
    store.close(e.document.uri);
    tokens.forget(e.document.uri);
    published.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.onHover((p, token) =>
    withArticle(
      p.textDocument.uri,
      null,
      (doc, article) => (settings.hover.enabled ? provideHover(doc, article, doc.offsetAt(p.position)) : null),
      token,
    ),
  );
  connection.onDocumentSymbol((p, token) =>
    withArticle(p.textDocument.uri, [], (doc, article) => (settings.symbols.enabled ? provideDocumentSymbols(doc, article) : []), token),
  );
  connection.onFoldingRanges((p, token) => withArticle(p.textDocument.uri, [], provideFoldingRanges, token));
  connection.onCodeAction((p, token) =>
    withArticle(
      p.textDocument.uri,
      [],
      (doc, article) => {
        const span = toSpan(doc, p.range);
        return provideCodeActions(doc, article, span.start, span.end, p.context.diagnostics);
      },
      token,
    ),
  );
  const empty = { data: [] };
  connection.languages.semanticTokens.on((p, token) =>
    withArticle(p.textDocument.uri, empty, (doc, article) => (settings.semanticHighlighting.enabled ? tokens.full(doc, article) : empty), token),
  );
  connection.languages.semanticTokens.onDelta((p, token) =>
    withArticle(
      p.textDocument.uri,
      empty,
      (doc, article) => (settings.semanticHighlighting.enabled ? tokens.delta(doc, article, p.previousResultId) : empty),
      token,
    ),
  );
  connection.languages.semanticTokens.onRange((p, token) =>
    withArticle(
      p.textDocument.uri,
      empty,
      (doc, article) => {
        if (!settings.semanticHighlighting.enabled) return empty;
        const span = toSpan(doc, p.range);
        return tokens.range(doc, article, span.start, span.end);
      },
      token,
    ),
  );
  connection.onRequest(AnalysisRequest, (p: AnalysisParams) =>
    withArticle(p.uri, null, (doc, article) => toReport(doc.uri, article)),
  );

  connection.onRequest(ServerStatsRequest, (): ServerStats => {
    const memory = process.memoryUsage();
    return { rss: memory.rss, heapUsed: memory.heapUsed, cachedParagraphs: store.cache.size, cachedChars: store.cache.cachedChars, documents: documents.all().length };
  });

  documents.listen(connection);
  connection.listen();
}

if (require.main === module) {
  const args = process.argv.slice(2);
  if (args.includes('--version')) {
    process.stdout.write('article-lens-server 0.1.0\n');
  } else if (args.includes('--help') || !args.some((a) => /^--(stdio|node-ipc|socket|pipe|clientProcessId)/.test(a))) {
    process.stdout.write(
      'Usage: article-lens-server --stdio\n\nThe Article Lens language server. Start it from an LSP client over stdio\n(or --node-ipc, --socket=<port>, --pipe=<name>).\n',
    );
  } else {
    process.on('uncaughtException', (error) => process.stderr.write(`article-lens-server: ${error.stack ?? error}\n`));
    startServer(createConnection(ProposedFeatures.all));
  }
}

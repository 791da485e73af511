#!/usr/bin/env node
/**
 * Article Lens language server: capabilities and wiring only.
 * Runs over IPC (VS Code) or `--stdio` (any LSP editor).
 */
import { dirname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CancellationToken,
  createConnection,
  DiagnosticSeverity,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ErrorCodes,
  LSPErrorCodes,
  ProposedFeatures,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { toReport } from './analysis/report';
import type { Article } from './analysis/types';
import { DICTIONARY_FILE, DictionaryFiles } from './dictionaryFiles';
import { auditFindings, auditSteps, provideAuditCodeActions, provideAuditDiagnostics } from './features/audits';
import { provideCodeActions } from './features/codeActions';
import { provideCodeLenses } from './features/codeLens';
import { ADD_TO_DICTIONARY, provideCorrectionActions, type CorrectionArgs } from './features/corrections';
import { provideDiagnostics, SOURCE } from './features/diagnostics';
import { exportArticle } from './features/export';
import { provideHover } from './features/hover';
import { provideDefinition, provideDocumentHighlights, provideReferences } from './features/navigation';
import { toRange, toSpan } from './features/ranges';
import { prepareRename, provideRename } from './features/rename';
import { legend, SemanticTokensProvider } from './features/semanticTokens';
import { provideDocumentSymbols, provideFoldingRanges } from './features/symbols';
import {
  AnalysisRequest,
  defaultSettings,
  ExportRequest,
  resolveSettings,
  ServerStatsRequest,
  StatusNotification,
  WorkspaceIndexRequest,
  type AnalysisParams,
  type ArticleLensSettings,
  type ExportParams,
  type ServerStats,
  type StatusParams,
} from './protocol';
import { ParsePool } from './parsePool';
import { ArticleStore } from './store';
import { ArticleDocument } from './document';
import { IdleCollector } from './memory';
import { sourceOf } from './analysis/article';
import { WATCH_GLOB, WorkspaceIndex } from './workspace';

export function startServer(connection: Connection): void {
  // documents keep their text in pieces (see ArticleDocument): an edit never rebuilds a long article's text
  const documents = new TextDocuments(ArticleDocument);
  const tokens = new SemanticTokensProvider();
  const published = new Map<string, string>();
  let settings: ArticleLensSettings = defaultSettings;
  let pullConfiguration = false;
  /** articles at least this long are published in steps (see `analyzed`) */
  const LONG_ARTICLE = 1_000_000;
  /** requests before `initialize` are answered with ServerNotInitialized, as the protocol asks */
  let initialized = false;
  const notInitialized = () => new ResponseError(ErrorCodes.ServerNotInitialized, 'Article Lens: the server has not been initialized yet.');

  // a long article's paragraphs are parsed in a worker thread: requests never wait behind that parse
  const parser = new ParsePool(join(__dirname, 'parseWorker.js'), (message, level) =>
    level === 'info' ? connection.console.log(message) : connection.console.warn(message),
  );
  const memory = new IdleCollector();
  const store = new ArticleStore({
    parser,
    current: (uri) => documents.get(uri),
    options: (doc) => ({ scareQuoteHints: true, dictionary: dictionaryFor(doc.uri)?.dictionary }),
    analyzed: (doc, article) => {
      // a long fresh analysis leaves much garbage: collected once the server is idle
      const s = article.stats;
      if (s.paragraphs - s.cachedParagraphs > 500) memory.analysed(sourceOf(article).length);
      else memory.busy();
      workspaceIndex.noteOpen(doc.uri, article, documents.get(doc.uri));
      const publishCurrent = () => {
        const current = documents.get(doc.uri);
        if (current && store.peek(doc.uri) === article) publish(current, article);
      };
      if (sourceOf(article).length < LONG_ARTICLE) return publishCurrent();
      // On a very long article the line index, each audit and the diagnostics take up to tens of
      // milliseconds: one per turn, so waiting requests get in between.
      const steps = auditSteps(article);
      const next = () => {
        if (store.peek(doc.uri) !== article) return;
        if (!steps.next().done) setImmediate(next);
        else setImmediate(publishCurrent);
      };
      setImmediate(() => {
        documents.get(doc.uri)?.positionAt(0); // builds the document's line index
        setImmediate(next);
      });
    },
    failed: (doc, error) => connection.console.error(`Article Lens could not analyse ${doc.uri}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
  });

  // The team dictionary (.article-lens.json) nearest above each article, within its workspace folder.
  const dictionaries = new DictionaryFiles();
  let roots: string[] = [];
  const filePath = (uri: string): string | undefined => {
    try {
      return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
    } catch {
      return undefined;
    }
  };
  const rootOf = (path: string) => roots.filter((r) => path === r || path.startsWith(r.endsWith(sep) ? r : r + sep)).sort((a, b) => b.length - a.length)[0];
  function dictionaryFor(uri: string) {
    const path = filePath(uri);
    return path ? dictionaries.forFile(path, rootOf(path)) : undefined;
  }
  /** Problems in dictionary files appear on those files; every open article is analysed again. */
  async function dictionaryChanged(): Promise<void> {
    const before = dictionaries.loaded().map((d) => d.path);
    dictionaries.clear();
    store.invalidate();
    await republishAll();
    const loaded = dictionaries.loaded();
    for (const d of loaded) {
      const file = TextDocument.create(pathToFileURL(d.path).href, 'json', 0, d.text);
      void connection.sendDiagnostics({
        uri: file.uri,
        diagnostics: d.problems.map((p) => ({ range: toRange(file, p), message: p.message, severity: DiagnosticSeverity.Warning, source: SOURCE, code: 'dictionary' })),
      });
    }
    for (const path of before) if (!loaded.some((d) => d.path === path)) void connection.sendDiagnostics({ uri: pathToFileURL(path).href, diagnostics: [] });
    void connection.languages.semanticTokens.refresh();
  }

  let watchFiles = false;
  const workspaceIndex = new WorkspaceIndex({
    settings: () => settings,
    progress: () => connection.window.createWorkDoneProgress(),
    log: (message) => connection.console.log(message),
    changed: () => {
      for (const doc of documents.all()) {
        const article = store.peek(doc.uri);
        if (article && store.isCurrent(doc, article)) publish(doc, article);
      }
    },
  });

  /** Analyse every open document if needed and push its diagnostics afresh (settings or corrections changed). */
  async function republishAll(): Promise<void> {
    published.clear();
    for (const doc of documents.all()) {
      const article = await store.get(doc.uri);
      const current = documents.get(doc.uri);
      // (an article that is no longer current may be consumed by the newer version's analysis, which publishes)
      if (article && current && store.isCurrent(current, article)) publish(current, article);
    }
  }

  /**
   * The status of each document's newest publication until it has been written: a request that
   * waited for the same analysis answers after it, so an editor gets the diagnostics first
   * (semantic tokens on a long article take milliseconds to encode).
   */
  const flushing = new Map<string, Promise<void>>();
  /** Wait for a write (the promises kept never reject), but never long: a client that stops reading must not hold every request. */
  const afterWrite = (written: Promise<void>) =>
    new Promise<void>((done) => {
      const timer = setTimeout(done, 100);
      void written.then(() => {
        clearTimeout(timer);
        done();
      });
    });

  /** Push diagnostics only when they changed; tell the client the counts for its status bar. */
  function publish(doc: TextDocument, article: Article): void {
    const diagnostics = [...provideDiagnostics(doc, article, settings), ...provideAuditDiagnostics(doc, article, settings, workspaceIndex)];
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
    const written = connection.sendNotification(StatusNotification, status).catch(() => undefined);
    flushing.set(doc.uri, written);
    void written.then(() => {
      if (flushing.get(doc.uri) === written) flushing.delete(doc.uri);
    });
  }

  /** Run a handler against the current article of a document; unknown documents and failures give `fallback`. */
  async function withArticle<T>(uri: string, fallback: T, fn: (doc: TextDocument, article: Article) => T, token?: CancellationToken): Promise<T | ResponseError<void>> {
    if (!initialized) return notInitialized();
    // the collection of a long analysis's garbage pauses the thread: not while someone is at work
    memory.busy();
    try {
      const article = await store.get(uri);
      const publishing = flushing.get(uri);
      if (publishing) await afterWrite(publishing);
      if (token?.isCancellationRequested) return new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
      const doc = documents.get(uri);
      if (!article || !doc || !store.isCurrent(doc, article)) return fallback;
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
    initialized = true;
    pullConfiguration = !!params.capabilities.workspace?.configuration;
    const init = params.initializationOptions as { settings?: unknown } | undefined;
    if (init?.settings) settings = resolveSettings(init.settings);
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    workspaceIndex.setFolders(folders);
    roots = folders.map(filePath).filter((p): p is string => !!p);
    watchFiles = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        documentSymbolProvider: { label: 'Article Lens' },
        foldingRangeProvider: true,
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        semanticTokensProvider: { legend, full: { delta: true }, range: true },
        definitionProvider: true,
        referencesProvider: true,
        documentHighlightProvider: true,
        renameProvider: { prepareProvider: true },
        codeLensProvider: { resolveProvider: false },
        workspaceSymbolProvider: true,
        executeCommandProvider: { commands: [ADD_TO_DICTIONARY] },
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
        if (article && store.isCurrent(doc, article)) publish(doc, article);
      }
    }
    if (watchFiles) void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: WATCH_GLOB }, { globPattern: `**/${DICTIONARY_FILE}` }] }).catch(() => undefined);
    workspaceIndex.start();
  });

  connection.onDidChangeConfiguration(async (change) => {
    const indexed = JSON.stringify([settings.include, settings.workspace]);
    if (pullConfiguration) await loadSettings();
    else settings = resolveSettings((change.settings as { articleLens?: unknown } | undefined)?.articleLens);
    await republishAll();
    connection.languages.semanticTokens.refresh();
    if (JSON.stringify([settings.include, settings.workspace]) !== indexed) workspaceIndex.start();
    void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
  });

  documents.onDidOpen((e) => void store.analyze(e.document));
  documents.onDidChangeContent((e) => void store.analyze(e.document));
  documents.onDidClose((e) => {
    store.close(e.document.uri);
    tokens.forget(e.document.uri);
    workspaceIndex.noteClosed(e.document.uri);
    published.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.onHover((p, token) =>
    withArticle(
      p.textDocument.uri,
      null,
      (doc, article) =>
        settings.hover.enabled ? workspaceIndex.decorateHover(provideHover(doc, article, doc.offsetAt(p.position)), article, doc.offsetAt(p.position), doc.uri) : null,
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
        return [
          ...provideCodeActions(doc, article, span.start, span.end, p.context.diagnostics),
          ...provideCorrectionActions(doc, article, span.start, span.end),
          ...provideAuditCodeActions(doc, article, span.start, span.end, p.context.diagnostics, settings, workspaceIndex),
        ];
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

  connection.onDefinition((p, token) => withArticle(p.textDocument.uri, null, (doc, article) => provideDefinition(doc, article, doc.offsetAt(p.position)), token));
  connection.onReferences((p, token) =>
    withArticle(p.textDocument.uri, [], (doc, article) => provideReferences(doc, article, doc.offsetAt(p.position), p.context.includeDeclaration), token),
  );
  connection.onDocumentHighlight((p, token) => withArticle(p.textDocument.uri, [], (doc, article) => provideDocumentHighlights(doc, article, doc.offsetAt(p.position)), token));
  connection.onPrepareRename((p, token) =>
    withArticle<ReturnType<typeof prepareRename> | null>(p.textDocument.uri, null, (doc, article) => prepareRename(doc, article, doc.offsetAt(p.position)), token),
  );
  connection.onRenameRequest((p, token) =>
    withArticle<ReturnType<typeof provideRename> | null>(p.textDocument.uri, null, (doc, article) => provideRename(doc, article, doc.offsetAt(p.position), p.newName), token),
  );
  connection.onCodeLens((p, token) => withArticle(p.textDocument.uri, [], (doc, article) => (settings.codeLens.enabled ? provideCodeLenses(doc, article) : []), token));
  connection.onWorkspaceSymbol((p) => (initialized ? workspaceIndex.symbols(p.query) : notInitialized()));
  connection.onDidChangeWatchedFiles((p) => {
    const dictionary = p.changes.filter((c) => c.uri.endsWith(`/${DICTIONARY_FILE}`));
    if (dictionary.length) void dictionaryChanged();
    workspaceIndex.filesChanged(p.changes.filter((c) => !dictionary.includes(c)));
  });
  connection.onExecuteCommand(async (p) => {
    if (!initialized) return notInitialized();
    if (p.command !== ADD_TO_DICTIONARY) return null;
    const args = p.arguments?.[0] as CorrectionArgs | undefined;
    const path = args && typeof args.uri === 'string' ? filePath(args.uri) : undefined;
    if (!args || typeof args.name !== 'string' || !path) {
      void connection.window.showErrorMessage('Article Lens: corrections can only be saved for articles stored on disk.');
      return null;
    }
    const target = dictionaryFor(args.uri)?.path ?? join(rootOf(path) ?? dirname(path), DICTIONARY_FILE);
    const error = dictionaries.write(target, args.name, args.correction);
    if (error) void connection.window.showErrorMessage(`Article Lens: ${error}`);
    else await dictionaryChanged();
    return null;
  });
  connection.onRequest(WorkspaceIndexRequest, () => (initialized ? workspaceIndex.status() : notInitialized()));
  connection.onRequest(ExportRequest, async (p: ExportParams) => {
    if (!initialized) return notInitialized();
    const notOpen = () => new ResponseError(LSPErrorCodes.RequestFailed, 'Article Lens exports open articles only: open it first.');
    if (!documents.get(p.uri)) return notOpen();
    /** the current article: a newer version's analysis may have started while the file was read */
    const current = async () => {
      for (;;) {
        const article = await store.get(p.uri);
        const doc = documents.get(p.uri);
        if (!article || !doc) return undefined;
        if (store.isCurrent(doc, article)) return { article, findings: auditFindings(article, settings, p.uri, workspaceIndex) };
      }
    };
    try {
      return (await exportArticle(p, current)) ?? notOpen();
    } catch (error) {
      return new ResponseError(LSPErrorCodes.RequestFailed, `Export failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  });

  connection.onRequest(ServerStatsRequest, (): ServerStats => {
    const usage = process.memoryUsage();
    return {
      rss: usage.rss,
      heapUsed: usage.heapUsed,
      cachedParagraphs: store.cache.size,
      cachedChars: store.cache.cachedChars,
      documents: documents.all().length,
      workerParagraphs: parser.parsed,
      workerRunning: parser.running,
      idleCollections: memory.collections,
    };
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

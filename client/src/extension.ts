/**
 * Article Lens, VS Code side: starts the language server when an article is
 * open, makes files matched by `articleLens.include` articles, shows the
 * analysis counts in the status bar, and offers three commands.
 */
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  TransportKind,
  type CloseHandlerResult,
  type ErrorHandler,
  type ErrorHandlerResult,
  type LanguageClientOptions,
  type Middleware,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { StatusNotification, type StatusParams } from '../../server/src/protocol';
import { ExportRequest, type ExportParams, type ExportResult } from '../../server/src/protocol';
import { IncludedFiles } from './include';
import { ArticleStatusBar } from './status';

const CLIENT_ID = 'articleLens';
const CLIENT_NAME = 'Article Lens';
const ARTICLE = 'article';

/**
 * Restarts a crashed server up to 4 times in 3 minutes and tells the user once.
 * `stopped` runs on every crash (`restarting` says whether a new server follows):
 * the status item must not keep the dead server's counts.
 */
class CrashHandler implements ErrorHandler {
  private crashes: number[] = [];
  private told = false;

  constructor(
    private readonly output: vscode.OutputChannel,
    private readonly stopped: (restarting: boolean) => void,
  ) {}

  /**
   * A write to a server that has just died fails ("Channel closed") before the client sees the
   * process exit; `closed` then restarts it. Such errors are `handled`: the client logs them to the
   * output without a notification, and the user hears of a crash once, from `closed`.
   */
  error(error: Error, _message: unknown, count: number | undefined): ErrorHandlerResult {
    if (count !== undefined && count <= 3) return { action: ErrorAction.Continue, handled: true };
    return { action: ErrorAction.Shutdown, message: `The connection to the Article Lens server keeps failing (${error.message}); the server is stopped. Run "Article Lens: Restart Server" to start it again.` };
  }

  closed(): CloseHandlerResult {
    const now = Date.now();
    this.crashes = this.crashes.filter((t) => now - t < 3 * 60_000);
    this.crashes.push(now);
    if (this.crashes.length > 4) {
      this.stopped(false);
      return {
        action: CloseAction.DoNotRestart,
        message: 'The Article Lens server crashed 5 times in 3 minutes and will not be restarted. See the output for details, then run "Article Lens: Restart Server".',
      };
    }
    this.stopped(true);
    if (!this.told) {
      this.told = true;
      const show = 'Show Output';
      void vscode.window
        .showWarningMessage('The Article Lens server stopped unexpectedly and was restarted.', show)
        .then((choice) => choice === show && this.output.show(true));
    }
    return { action: CloseAction.Restart, handled: true };
  }

  reset(): void {
    this.crashes = [];
  }
}

/** The server command behind the "Mark … (team dictionary)" quick fixes: it writes `.article-lens.json` into the folder. */
const ADD_TO_DICTIONARY = 'articleLens.addToDictionary';
const RESTRICTED_REASON = 'Restricted Mode: Article Lens saves team-dictionary corrections (.article-lens.json) only in trusted folders.';

/**
 * In Restricted Mode (an untrusted folder) Article Lens works as usual except that it does not
 * write the team dictionary into the folder: the quick fixes that would are shown disabled, with
 * the reason, and the command is refused (also when run directly). Trust is read at each request,
 * so granting trust enables them at once (no `onDidGrantWorkspaceTrust` handling needed).
 * package.json declares this as `untrustedWorkspaces: limited`.
 */
const restrictedModeMiddleware: Middleware = {
  async provideCodeActions(document, range, context, token, next) {
    const actions = await next(document, range, context, token);
    if (vscode.workspace.isTrusted || !actions) return actions;
    return actions.map((action) => {
      if (!(action instanceof vscode.CodeAction) || action.command?.command !== ADD_TO_DICTIONARY) return action;
      action.command = undefined;
      action.disabled = { reason: RESTRICTED_REASON };
      return action;
    });
  },
  async executeCommand(command, args, next) {
    if (command === ADD_TO_DICTIONARY && !vscode.workspace.isTrusted) {
      const manage = 'Manage Workspace Trust';
      void vscode.window.showWarningMessage(RESTRICTED_REASON, manage).then((choice) => choice === manage && vscode.commands.executeCommand('workbench.trust.manage'));
      return null;
    }
    return next(command, args);
  },
};

function createClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, crashes: CrashHandler): LanguageClient {
  const module = context.asAbsolutePath('server/out/server.js');
  // The client would start the server in the workspace folder. Start it in the extension's own
  // folder instead: nothing the server resolves relative to its working directory can then come
  // from the workspace (which may be untrusted; package.json declares untrusted workspaces `limited`).
  const cwd = context.extensionPath;
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { cwd } },
    debug: { module, transport: TransportKind.ipc, options: { cwd, execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: ARTICLE },
      { scheme: 'untitled', language: ARTICLE },
    ],
    // push `didChangeConfiguration` for the section; the server also pulls
    // it with `workspace/configuration`, which the client answers by default
    synchronize: { configurationSection: CLIENT_ID },
    outputChannel: output,
    errorHandler: crashes,
    middleware: restrictedModeMiddleware,
  };
  return new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
}

let client: LanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel(CLIENT_NAME, { log: true });
  const status = new ArticleStatusBar();
  const crashes = new CrashHandler(output, (restarting) => (restarting ? status.clear() : status.stopped()));
  let starting: Promise<void> | undefined;

  /** Starts the server once; later calls wait for the same start. */
  const ensureStarted = (): Promise<void> => {
    if (!starting) {
      const c = createClient(context, output, crashes);
      client = c;
      c.onNotification(StatusNotification, (params: StatusParams) => status.update(params));
      starting = c.start().catch((error: unknown) => {
        output.error(`Starting the server failed: ${String(error)}`);
        void vscode.window.showErrorMessage('Article Lens: the language server could not be started. See the output for details.');
      });
    }
    return starting;
  };

  const restartServer = async (): Promise<void> => {
    crashes.reset();
    status.clear();
    await starting;
    const old = client;
    if (old?.isRunning()) {
      try {
        await old.restart();
      } catch (error) {
        output.error(`Restarting the server failed: ${String(error)}`);
        void vscode.window.showErrorMessage('Article Lens: restarting the language server failed. See the output for details.');
      }
      return;
    }
    // never started, failed to start, or given up after repeated crashes: start afresh
    client = undefined;
    starting = undefined;
    old?.dispose().catch(() => undefined);
    await ensureStarted();
  };

  const treatAsArticle = async (uri?: vscode.Uri): Promise<void> => {
    const doc = uri instanceof vscode.Uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
    if (!doc) {
      void vscode.window.showInformationMessage('Article Lens: open a file to treat it as an article.');
      return;
    }
    const article = doc.languageId === ARTICLE ? doc : await vscode.languages.setTextDocumentLanguage(doc, ARTICLE);
    if (uri instanceof vscode.Uri) await vscode.window.showTextDocument(article);
  };

  /** Write the active article's annotations as JSON and brat standoff beside it (untitled: into a chosen folder). */
  const exportAnnotations = async (): Promise<void> => {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || doc.languageId !== ARTICLE) {
      void vscode.window.showInformationMessage('Article Lens: open an article to export its annotations.');
      return;
    }
    const params: ExportParams = { uri: doc.uri.toString() };
    if (doc.uri.scheme === 'file') {
      // the .ann beside the file must match the text on disk
      if (doc.isDirty) {
        const save = 'Save and Export';
        if ((await vscode.window.showWarningMessage('Article Lens: the article has unsaved changes.', save)) !== save || !(await doc.save())) return;
      }
    } else {
      const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Export Here' });
      if (!picked?.[0]) return;
      params.directory = picked[0].fsPath;
    }
    await ensureStarted();
    if (!client) return;
    try {
      const result = await client.sendRequest<ExportResult>(ExportRequest, params);
      const names = result.files.map((f) => f.path.replace(/^.*[\\/]/, '')).join(', ');
      const reveal = 'Reveal in Explorer';
      const choice = await vscode.window.showInformationMessage(`Article Lens exported ${names}.`, reveal);
      if (choice === reveal && result.files[0]) void vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(result.files[0].path));
    } catch (error) {
      void vscode.window.showErrorMessage(`Article Lens: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  context.subscriptions.push(
    output,
    status,
    new IncludedFiles(),
    vscode.commands.registerCommand('articleLens.restartServer', restartServer),
    vscode.commands.registerCommand('articleLens.treatAsArticle', treatAsArticle),
    vscode.commands.registerCommand('articleLens.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('articleLens.exportAnnotations', exportAnnotations),
    // the counts lens at the top of an article runs this
    vscode.commands.registerCommand('articleLens.showOutline', () => vscode.commands.executeCommand('outline.focus')),
    vscode.workspace.onDidOpenTextDocument((doc) => {
      if (doc.languageId === ARTICLE) void ensureStarted();
    }),
  );

  if (vscode.workspace.textDocuments.some((doc) => doc.languageId === ARTICLE)) void ensureStarted();
}

export async function deactivate(): Promise<void> {
  const c = client;
  client = undefined;
  if (c?.needsStop()) await c.stop();
}

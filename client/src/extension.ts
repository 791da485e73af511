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
  type ServerOptions,
} from 'vscode-languageclient/node';
import { StatusNotification, type StatusParams } from '../../server/src/protocol';
import { ExportRequest, type ExportParams, type ExportResult } from '../../server/src/protocol';
import { IncludedFiles } from './include';
import { ArticleStatusBar } from './status';

const CLIENT_ID = 'articleLens';
const CLIENT_NAME = 'Article Lens';
const ARTICLE = 'article';

/** Restarts a crashed server up to 4 times in 3 minutes and tells the user once. */
class CrashHandler implements ErrorHandler {
  private crashes: number[] = [];
  private told = false;

  constructor(private readonly output: vscode.OutputChannel) {}

  error(_error: Error, _message: unknown, count: number | undefined): ErrorHandlerResult {
    return { action: count !== undefined && count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown };
  }

  closed(): CloseHandlerResult {
    const now = Date.now();
    this.crashes = this.crashes.filter((t) => now - t < 3 * 60_000);
    this.crashes.push(now);
    if (this.crashes.length > 4) {
      return {
        action: CloseAction.DoNotRestart,
        message: 'The Article Lens server crashed 5 times in 3 minutes and will not be restarted. See the output for details, then run "Article Lens: Restart Server".',
      };
    }
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

function createClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, crashes: CrashHandler): LanguageClient {
  const module = context.asAbsolutePath('server/out/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
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
  };
  return new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
}

let client: LanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel(CLIENT_NAME, { log: true });
  const crashes = new CrashHandler(output);
  const status = new ArticleStatusBar();
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

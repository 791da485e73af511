import * as path from 'node:path';
import * as vscode from 'vscode';
import { defaultSettings } from '../../server/src/protocol';

const ARTICLE = 'article';
/** Languages VS Code gives .txt and .md files; only these are switched to `article`. */
const CANDIDATES = new Set(['plaintext', 'markdown']);

/**
 * Document filters for the `articleLens.include` globs of a document's folder.
 * Globs starting with `**` or absolute paths match anywhere; other globs are
 * relative to the document's workspace folder.
 */
export function includeFilters(globs: readonly string[], folder: vscode.WorkspaceFolder | undefined): vscode.DocumentFilter[] {
  const filters: vscode.DocumentFilter[] = [];
  for (const glob of globs) {
    if (!glob.trim()) continue;
    if (glob.startsWith('**') || path.isAbsolute(glob)) filters.push({ pattern: glob });
    else if (folder) filters.push({ pattern: new vscode.RelativePattern(folder, glob) });
  }
  return filters;
}

function isIncluded(doc: vscode.TextDocument): boolean {
  const globs = vscode.workspace.getConfiguration('articleLens', doc.uri).get<string[]>('include', defaultSettings.include);
  const filters = includeFilters(Array.isArray(globs) ? globs : [], vscode.workspace.getWorkspaceFolder(doc.uri));
  return filters.length > 0 && vscode.languages.match(filters, doc) > 0;
}

/**
 * Makes plain-text and Markdown files matched by `articleLens.include` articles:
 * on open, at activation and when the setting or the workspace folders change.
 * A file the user switches back to another language stays switched back.
 */
export class IncludedFiles implements vscode.Disposable {
  /** uri → language the document had before this class made it an article */
  private readonly switched = new Map<string, string>();
  private readonly disposables: vscode.Disposable[];

  constructor() {
    this.disposables = [
      vscode.workspace.onDidOpenTextDocument((doc) => void this.consider(doc)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('articleLens.include')) this.applyToOpenDocuments();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.applyToOpenDocuments()),
    ];
    this.applyToOpenDocuments();
  }

  applyToOpenDocuments(): void {
    for (const doc of vscode.workspace.textDocuments) void this.consider(doc);
  }

  private async consider(doc: vscode.TextDocument): Promise<void> {
    const key = doc.uri.toString();
    const original = this.switched.get(key);
    if (original !== undefined) {
      // made an article by us earlier: revert when the globs no longer match;
      // otherwise leave it alone (the user may have switched it back on purpose)
      if (doc.languageId === ARTICLE && !isIncluded(doc)) {
        this.switched.delete(key);
        await this.setLanguage(doc, original);
      }
      return;
    }
    if (!CANDIDATES.has(doc.languageId) || !isIncluded(doc)) return;
    this.switched.set(key, doc.languageId);
    await this.setLanguage(doc, ARTICLE);
  }

  private async setLanguage(doc: vscode.TextDocument, languageId: string): Promise<void> {
    if (doc.isClosed) return;
    try {
      await vscode.languages.setTextDocumentLanguage(doc, languageId);
    } catch {
      // closed in the meantime
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

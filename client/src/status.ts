import * as vscode from 'vscode';
import type { StatusParams } from '../../server/src/protocol';

const ARTICLE = 'article';
const OUTLINE: vscode.Command = { title: 'Show Outline', command: 'outline.focus' };

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The status-bar line for one analysis, e.g. "$(book) 3 people · 9 places · 2 unattributed quotes". */
export function statusText(s: StatusParams): string {
  const parts = [
    count(s.people, 'person', 'people'),
    count(s.places, 'place', 'places'),
    count(s.unattributedQuotes, 'unattributed quote', 'unattributed quotes'),
  ];
  return `$(book) ${parts.join(' · ')}`;
}

/** The tooltip with every count and the analysis time. */
export function statusTooltip(s: StatusParams, stale: boolean): string {
  const lines = [
    'Article Lens',
    '',
    count(s.people, 'person', 'people'),
    count(s.places, 'place', 'places'),
    count(s.organizations, 'organization', 'organizations'),
    `${count(s.quotes, 'quote', 'quotes')} (${s.unattributedQuotes} unattributed)`,
    '',
    `Analysed in ${Math.round(s.millis)} ms (version ${s.version})${stale ? ', updating…' : ''}`,
    'Click to show the outline.',
  ];
  return lines.join('\n');
}

/**
 * Shows the latest `articleLens/status` of the active article in the status bar.
 * Keeps the newest report per document; older versions arriving late are ignored.
 */
export class ArticleStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('articleLens.status', vscode.StatusBarAlignment.Right, 100);
  private readonly latest = new Map<string, StatusParams>();
  private readonly disposables: vscode.Disposable[];
  private stoppedState = false;

  constructor() {
    this.item.name = 'Article Lens';
    this.item.command = OUTLINE;
    this.disposables = [
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.refresh()),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        this.latest.delete(doc.uri.toString());
        this.refresh();
      }),
      // a language switch (Treat as Article, include globs) does not change the active editor
      vscode.workspace.onDidOpenTextDocument(() => this.refresh()),
    ];
    this.refresh();
  }

  update(params: StatusParams): void {
    const previous = this.latest.get(params.uri);
    if (previous && previous.version > params.version) return;
    this.latest.set(params.uri, params);
    if (vscode.window.activeTextEditor?.document.uri.toString() === params.uri) this.refresh();
  }

  /** Forget every report (the server restarted and will report again). */
  clear(): void {
    this.latest.clear();
    this.stoppedState = false;
    this.refresh();
  }

  /** The server is down for good (crashed too often): say so, and offer a restart on click. */
  stopped(): void {
    this.latest.clear();
    this.stoppedState = true;
    this.refresh();
  }

  refresh(): void {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || doc.languageId !== ARTICLE) {
      this.item.hide();
      return;
    }
    if (this.stoppedState) {
      this.item.text = '$(warning) Article Lens';
      this.item.tooltip = 'The Article Lens server stopped after repeated crashes.\nClick to restart it.';
      this.item.command = { title: 'Restart Server', command: 'articleLens.restartServer' };
      this.item.show();
      return;
    }
    this.item.command = OUTLINE;
    const status = this.latest.get(doc.uri.toString());
    if (status) {
      this.item.text = statusText(status);
      this.item.tooltip = statusTooltip(status, status.version < doc.version);
    } else {
      this.item.text = '$(book) Article Lens';
      this.item.tooltip = 'Article Lens: analysing…\nClick to show the outline.';
    }
    this.item.show();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

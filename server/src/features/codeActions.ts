import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver';
import type { Article, Finding } from '../analysis/types';
import { SOURCE } from './diagnostics';
import { toRange, type OffsetDocument } from './ranges';

function sameRange(doc: OffsetDocument, finding: Finding, diagnostic: Diagnostic): boolean {
  const r = toRange(doc, finding);
  const d = diagnostic.range;
  return r.start.line === d.start.line && r.start.character === d.start.character && r.end.line === d.end.line && r.end.character === d.end.character;
}

/** Quick fixes for the findings the client sends back, plus fixes of findings overlapping the range. */
export function provideCodeActions(
  doc: OffsetDocument,
  article: Article,
  start: number,
  end: number,
  diagnostics: Diagnostic[],
): CodeAction[] {
  const actions: CodeAction[] = [];
  const seen = new Set<string>();
  for (const finding of article.findings) {
    if (!finding.fixes?.length) continue;
    const diagnostic = diagnostics.find((d) => d.source === SOURCE && d.code === finding.code && sameRange(doc, finding, d));
    const overlaps = finding.start <= end && start <= finding.end;
    if (!diagnostic && !overlaps) continue;
    for (const fix of finding.fixes) {
      const key = `${fix.title}@${fix.edits[0]?.start}`;
      if (seen.has(key)) continue;
      seen.add(key);
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: diagnostic ? [diagnostic] : undefined,
        isPreferred: fix.preferred,
        edit: { changes: { [doc.uri]: fix.edits.map((e) => ({ range: toRange(doc, e), newText: e.newText })) } },
      });
    }
  }
  return actions;
}

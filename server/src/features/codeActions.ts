import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver';
import type { Article, Finding } from '../analysis/types';
import { SOURCE } from './diagnostics';
import { toRange, type OffsetDocument } from './ranges';

function rangeKey(code: unknown, r: Diagnostic['range']): string {
  return `${String(code)}@${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
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
  const sent = new Map(diagnostics.filter((d) => d.source === SOURCE).map((d) => [rangeKey(d.code, d.range), d]));
  for (const finding of article.findings) {
    if (!finding.fixes?.length) continue;
    const overlaps = finding.start <= end && start <= finding.end;
    const diagnostic = sent.size ? sent.get(rangeKey(finding.code, toRange(doc, finding))) : undefined;
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

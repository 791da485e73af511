import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { Article, Finding, Severity } from '../analysis/types';
import type { ArticleLensSettings, SeverityName } from '../protocol';
import { toRange, type OffsetDocument } from './ranges';

export const SOURCE = 'Article Lens';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** The severity a finding gets under the user's settings, or undefined when turned off. */
export function effectiveSeverity(finding: Finding, settings: ArticleLensSettings): Severity | undefined {
  const chosen: SeverityName | undefined = settings.diagnostics.severity[finding.code];
  if (chosen === 'off') return undefined;
  return chosen ?? finding.severity;
}

export function toDiagnostic(doc: OffsetDocument, finding: Finding, severity: Severity): Diagnostic {
  return {
    range: toRange(doc, finding),
    severity: SEVERITY[severity],
    code: finding.code,
    source: SOURCE,
    message: finding.message,
    relatedInformation: finding.related?.map((r) => ({
      location: { uri: doc.uri, range: toRange(doc, r.span) },
      message: r.message,
    })),
  };
}

export function provideDiagnostics(doc: OffsetDocument, article: Article, settings: ArticleLensSettings): Diagnostic[] {
  if (!settings.diagnostics.enabled) return [];
  const out: Diagnostic[] = [];
  for (const finding of article.findings) {
    if (finding.code === 'scare-quote' && !settings.diagnostics.scareQuotes) continue;
    const severity = effectiveSeverity(finding, settings);
    if (severity) out.push(toDiagnostic(doc, finding, severity));
  }
  return out;
}

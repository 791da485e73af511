import type { CodeAction, Diagnostic } from 'vscode-languageserver';
import { auditArticle, auditWorkspaceSpelling, type OtherPerson } from '../analysis/audits';
import type { Article, Finding } from '../analysis/types';
import type { ArticleLensSettings } from '../protocol';
import { provideCodeActions } from './codeActions';
import { effectiveSeverity, toDiagnostic } from './diagnostics';
import type { OffsetDocument } from './ranges';

/** Where the workspace spelling audit finds people of other articles. */
export interface PeopleElsewhere {
  personsLike(surname: string, uri: string): OtherPerson[];
}

const inArticle = new WeakMap<Article, Finding[]>();

/**
 * The in-article audits one at a time, pausing after each (a very long article's audits
 * take tens of milliseconds together); afterwards auditFindings finds them done.
 */
export function* auditSteps(article: Article): Generator<void, void, void> {
  if (inArticle.has(article)) return;
  const off = { nameSpelling: false, surnameBeforeFullName: false, boilerplate: false };
  const parts: Finding[][] = [];
  for (const one of ['nameSpelling', 'surnameBeforeFullName', 'boilerplate'] as const) {
    parts.push(auditArticle(article, { ...off, [one]: true }));
    yield;
  }
  // the order auditArticle gives when it runs them all
  inArticle.set(article, parts.flat().sort((a, b) => a.start - b.start || a.end - b.end));
}

/** The audit findings the settings leave on (in-article audits are computed once per analysis). */
export function auditFindings(article: Article, settings: ArticleLensSettings, uri: string, elsewhere?: PeopleElsewhere): Finding[] {
  let all = inArticle.get(article);
  if (!all) {
    all = auditArticle(article);
    inArticle.set(article, all);
  }
  const on = settings.audits;
  const out = all.filter(
    (f) =>
      (f.code === 'name-spelling-variant' && on.nameSpelling) ||
      (f.code === 'surname-before-full-name' && on.surnameBeforeFullName) ||
      (f.code === 'scraped-boilerplate' && on.boilerplate),
  );
  if (on.nameSpelling && elsewhere) {
    try {
      out.push(...auditWorkspaceSpelling(article, (s) => elsewhere.personsLike(s, uri)));
    } catch {
      // the workspace audit is best effort
    }
  }
  return out;
}

export function provideAuditDiagnostics(doc: OffsetDocument, article: Article, settings: ArticleLensSettings, elsewhere?: PeopleElsewhere): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const f of auditFindings(article, settings, doc.uri, elsewhere)) {
    const severity = effectiveSeverity(f, settings);
    if (severity) out.push(toDiagnostic(doc, f, severity));
  }
  return out;
}

/** Quick fixes of the audits (remove boilerplate, respell a name, introduce the full name). */
export function provideAuditCodeActions(
  doc: OffsetDocument,
  article: Article,
  start: number,
  end: number,
  diagnostics: Diagnostic[],
  settings: ArticleLensSettings,
  elsewhere?: PeopleElsewhere,
): CodeAction[] {
  const findings = auditFindings(article, settings, doc.uri, elsewhere).filter((f) => effectiveSeverity(f, settings));
  return provideCodeActions(doc, { ...article, findings }, start, end, diagnostics);
}

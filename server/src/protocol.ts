/**
 * Settings and custom messages shared by the client and the server.
 * Imported by both sides; no dependency on vscode or on the LSP libraries.
 */

export type SeverityName = 'error' | 'warning' | 'information' | 'hint' | 'off';

/** The `articleLens` settings section, as the server receives it. */
export interface ArticleLensSettings {
  /** globs that make plain .txt/.md files articles */
  include: string[];
  semanticHighlighting: { enabled: boolean };
  hover: { enabled: boolean };
  symbols: { enabled: boolean };
  diagnostics: {
    enabled: boolean;
    /** report scare quotes (“fake”) as hints */
    scareQuotes: boolean;
    /** severity per diagnostic code; 'off' hides it */
    severity: Partial<Record<string, SeverityName>>;
  };
  /** audits of names and scraped text, each reported with its own diagnostic code */
  audits: {
    /** `name-spelling-variant`: a person's surname spelt two ways (in the article or across the workspace) */
    nameSpelling: boolean;
    /** `surname-before-full-name`: a bare surname before the person is introduced with full name */
    surnameBeforeFullName: boolean;
    /** `scraped-boilerplate`: repeated headline, "Source link", "Check Also" blocks */
    boilerplate: boolean;
  };
  /** the counts lens at the top of an article */
  codeLens: { enabled: boolean };
  /** index every article of the workspace in the background */
  workspace: { index: boolean };
}

export const defaultSettings: ArticleLensSettings = {
  include: ['**/seeds/**/*.txt', '**/articles/**/*.{txt,md}'],
  semanticHighlighting: { enabled: true },
  hover: { enabled: true },
  symbols: { enabled: true },
  diagnostics: { enabled: true, scareQuotes: false, severity: {} },
  audits: { nameSpelling: true, surnameBeforeFullName: true, boilerplate: true },
  codeLens: { enabled: true },
  workspace: { index: true },
};

/** Fill missing or mistyped fields of a settings object from the defaults. */
export function resolveSettings(raw: unknown): ArticleLensSettings {
  const r = isObject(raw) ? raw : {};
  const bool = (v: unknown, d: boolean) => (typeof v === 'boolean' ? v : d);
  const section = (k: string) => (isObject(r[k]) ? (r[k] as Record<string, unknown>) : {});
  const diag = section('diagnostics');
  const severity: Partial<Record<string, SeverityName>> = {};
  if (isObject(diag.severity)) {
    for (const [code, value] of Object.entries(diag.severity)) {
      if (code !== '__proto__' && isSeverity(value)) severity[code] = value;
    }
  }
  return {
    include: Array.isArray(r.include) ? r.include.filter((g): g is string => typeof g === 'string') : defaultSettings.include,
    semanticHighlighting: { enabled: bool(section('semanticHighlighting').enabled, true) },
    hover: { enabled: bool(section('hover').enabled, true) },
    symbols: { enabled: bool(section('symbols').enabled, true) },
    diagnostics: {
      enabled: bool(diag.enabled, true),
      scareQuotes: bool(diag.scareQuotes, false),
      severity,
    },
    audits: {
      nameSpelling: bool(section('audits').nameSpelling, true),
      surnameBeforeFullName: bool(section('audits').surnameBeforeFullName, true),
      boilerplate: bool(section('audits').boilerplate, true),
    },
    codeLens: { enabled: bool(section('codeLens').enabled, true) },
    workspace: { index: bool(section('workspace').index, true) },
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isSeverity(v: unknown): v is SeverityName {
  return v === 'error' || v === 'warning' || v === 'information' || v === 'hint' || v === 'off';
}

/** Server → client notification after each analysis of an open article. */
export const StatusNotification = 'articleLens/status';

export interface StatusParams {
  uri: string;
  version: number;
  people: number;
  places: number;
  organizations: number;
  quotes: number;
  unattributedQuotes: number;
  /** analysis time of this version in ms */
  millis: number;
}

/** Client → server request: the analysis of a document as the CLI's JSON. */
export const AnalysisRequest = 'articleLens/analysis';
export interface AnalysisParams {
  uri: string;
}

/** Client → server request: memory and cache figures of the server process (for benchmarks and diagnostics). */
export const ServerStatsRequest = 'articleLens/serverStats';
export interface ServerStats {
  rss: number;
  heapUsed: number;
  cachedParagraphs: number;
  cachedChars: number;
  documents: number;
  /** paragraphs parsed in the worker thread so far */
  workerParagraphs: number;
  /** whether the parse worker is running now (it stops when idle) */
  workerRunning: boolean;
  /** collections of a long analysis's garbage started so far (once the server was idle: see IdleCollector) */
  idleCollections: number;
}

/** Client → server request: write the annotations of an article as JSON (the CLI schema) and brat standoff. */
export const ExportRequest = 'articleLens/export';
export interface ExportParams {
  uri: string;
  /** file-system directory to write into; default: beside the article (file: URIs only) */
  directory?: string;
  /** only return the contents, write nothing */
  dryRun?: boolean;
}
export interface ExportResult {
  /** written (or, with dryRun, would-be) files: absolute path when known, else the file name */
  files: { path: string; content: string }[];
}

/** Client → server request: state of the workspace index (for tests and the status bar). */
export const WorkspaceIndexRequest = 'articleLens/workspaceIndex';
export interface WorkspaceIndexState {
  state: 'off' | 'waiting' | 'indexing' | 'ready';
  files: number;
  entities: number;
  /** ms the last full scan took */
  millis: number;
}

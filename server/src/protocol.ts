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
}

export const defaultSettings: ArticleLensSettings = {
  include: ['**/seeds/**/*.txt', '**/articles/**/*.{txt,md}'],
  semanticHighlighting: { enabled: true },
  hover: { enabled: true },
  symbols: { enabled: true },
  diagnostics: { enabled: true, scareQuotes: false, severity: {} },
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
}

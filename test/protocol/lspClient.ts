/**
 * A real LSP client for tests: starts the built server as a child process over
 * stdio and speaks JSON-RPC to it with vscode-languageserver-protocol.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';
import {
  createProtocolConnection,
  PublishDiagnosticsNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';

export const SERVER = resolve(__dirname, '../../server/out/server.js');

export interface TestClient {
  connection: ProtocolConnection;
  process: ChildProcessWithoutNullStreams;
  /** every publishDiagnostics received, in order */
  diagnostics: PublishDiagnosticsParams[];
  /** notifications by method */
  notifications: { method: string; params: unknown }[];
  stderr: string[];
  /** what the server answered to initialize */
  initializeResult: InitializeResult;
  /** capabilities the server registered dynamically */
  registrations: { method: string; registerOptions?: unknown }[];
  /** `$/progress` notifications */
  progress: { token: unknown; value: { kind: string; title?: string; message?: string; percentage?: number } }[];
  /** wait until the newest diagnostics for `uri` satisfy `test` */
  waitForDiagnostics(uri: string, test?: (d: Diagnostic[], version?: number) => boolean, timeoutMs?: number): Promise<Diagnostic[]>;
  /** wait until the server has analysed `version` of `uri` (its status notification) */
  waitForAnalysis(uri: string, version: number, timeoutMs?: number): Promise<void>;
  /** the newest diagnostics published for `uri` */
  latestDiagnostics(uri: string): Diagnostic[];
  open(uri: string, text: string, version?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface ClientOptions {
  initializationOptions?: unknown;
  /** the workspace folder (also sent as rootUri) */
  rootUri?: string | null;
  /** what the client answers to workspace/configuration for the `articleLens` section */
  settings?: unknown;
}

export async function startClient({ initializationOptions, rootUri = null, settings = null }: ClientOptions = {}): Promise<TestClient> {
  // e.g. ARTICLE_LENS_SERVER_NODE_ARGS='--cpu-prof --cpu-prof-dir=prof' to profile the server under a bench
  const nodeArgs = (process.env.ARTICLE_LENS_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, SERVER, '--stdio'], { stdio: 'pipe' });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const diagnostics: PublishDiagnosticsParams[] = [];
  const notifications: { method: string; params: unknown }[] = [];
  const stderr: string[] = [];
  const registrations: TestClient['registrations'] = [];
  const progress: TestClient['progress'] = [];
  child.stderr.on('data', (d: Buffer) => stderr.push(d.toString()));
  const waiters = new Set<() => void>();
  connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
    diagnostics.push(p);
    for (const w of [...waiters]) w();
  });
  connection.onUnhandledNotification((m) => {
    notifications.push({ method: m.method, params: m.params });
    for (const w of [...waiters]) w();
  });
  connection.onRequest('workspace/configuration', () => [settings]);
  connection.onRequest('client/registerCapability', (p: { registrations: TestClient['registrations'] }) => {
    registrations.push(...p.registrations);
    return null;
  });
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.onRequest('workspace/semanticTokens/refresh', () => null);
  connection.onRequest('workspace/codeLens/refresh', () => null);
  connection.onNotification('$/progress', (p: TestClient['progress'][number]) => {
    progress.push(p);
  });
  connection.listen();
  const initializeResult = await connection.sendRequest<InitializeResult>('initialize', {
    processId: process.pid,
    rootUri,
    workspaceFolders: rootUri ? [{ uri: rootUri, name: 'workspace' }] : null,
    capabilities: {
      textDocument: {
        hover: { contentFormat: ['markdown', 'plaintext'] },
        documentSymbol: { hierarchicalDocumentSymbolSupport: true },
        publishDiagnostics: { relatedInformation: true, versionSupport: true },
        semanticTokens: {
          requests: { full: { delta: true }, range: true },
          tokenTypes: [],
          tokenModifiers: [],
          formats: ['relative'],
        },
      },
      workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true }, symbol: {} },
      window: { workDoneProgress: true },
      general: { positionEncodings: ['utf-16'] },
    },
    initializationOptions,
  });
  await connection.sendNotification('initialized', {});

  const client: TestClient = {
    connection,
    process: child,
    diagnostics,
    notifications,
    stderr,
    initializeResult,
    registrations,
    progress,
    waitForDiagnostics(uri, test = () => true, timeoutMs = 15000) {
      return new Promise((resolvePromise, reject) => {
        const check = () => {
          const latest = [...diagnostics].reverse().find((d) => d.uri === uri);
          if (latest && test(latest.diagnostics, latest.version)) {
            clearTimeout(timer);
            waiters.delete(check);
            resolvePromise(latest.diagnostics);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    waitForAnalysis(uri, version, timeoutMs = 15000) {
      // (newest first: a benchmark waits for the status of the version it just sent)
      const done = () => {
        for (let i = notifications.length - 1; i >= 0; i--) {
          const n = notifications[i];
          const p = n.params as { uri?: string; version?: number } | undefined;
          if (n.method === 'articleLens/status' && p?.uri === uri && p.version === version) return true;
        }
        return false;
      };
      return new Promise((resolvePromise, reject) => {
        const check = () => {
          if (!done()) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolvePromise();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${uri} version ${version} not analysed within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    latestDiagnostics(uri) {
      return [...diagnostics].reverse().find((d) => d.uri === uri)?.diagnostics ?? [];
    },
    async open(uri, text, version = 1) {
      await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'article', version, text } });
    },
    async stop() {
      try {
        await Promise.race([connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
        await connection.sendNotification('exit');
      } catch {
        // already gone
      }
      // a profiled server writes its profile as it exits: give it the time
      if (nodeArgs.length && child.exitCode === null) await new Promise((r) => (child.once('exit', r), setTimeout(r, 10_000)));
      connection.dispose();
      if (child.exitCode === null) child.kill();
    },
  };
  return client;
}

/** Decode relative semantic tokens into absolute positions. */
export function decodeTokens(data: number[], legend: string[]): { line: number; char: number; length: number; type: string; modifiers: number }[] {
  const out = [];
  let line = 0;
  let char = 0;
  for (let i = 0; i < data.length; i += 5) {
    line += data[i];
    char = data[i] === 0 ? char + data[i + 1] : data[i + 1];
    out.push({ line, char, length: data[i + 2], type: legend[data[i + 3]], modifiers: data[i + 4] });
  }
  return out;
}

/**
 * A worker thread that analyses paragraphs for the language server (see parsePool.ts):
 * the parsing of a long article, and all its garbage, stay off the thread that answers
 * requests. Each message is { id, texts }; each answer { id, analyses } or { id, error }.
 */
import { parentPort } from 'node:worker_threads';
import { analyzeParagraph } from './analysis/article';

interface Job {
  id: number;
  texts: string[];
}

parentPort?.on('message', (job: Job) => {
  try {
    parentPort?.postMessage({ id: job.id, analyses: job.texts.map(analyzeParagraph) });
  } catch (error) {
    parentPort?.postMessage({ id: job.id, error: error instanceof Error ? error.message : String(error) });
  }
});

/**
 * Worker thread of {@link TaskPool}: builds one task runner from the options it is started with,
 * then runs the tasks it is sent and replies with their results, buffers transferred. It loads
 * the analysis, input parsing and pair measuring, not the rest of detection.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SyndicError, type SyndicErrorKind } from '../errors.js';
import type { ResolvedOptions } from '../options.js';
import { candidatesTransfer } from './anchor-task.js';
import { transferList, type PackedAnalyses } from './codec.js';
import { createTaskRunner, InputReadError, runTask, type Task, type TaskResult } from './tasks.js';

/** A task and its number, so the reply can be matched to it. */
export interface TaskRequest {
  id: number;
  task: Task;
}

/**
 * The result of a task; or the input could not be read (`inputError`, the reason in syndic's
 * words: the main thread names the file); or syndic refused to go on (`syndicError`, a temporary
 * file that cannot be written); or the task failed (`error`, an internal failure).
 */
export type TaskReply =
  | { id: number; result: TaskResult }
  | { id: number; inputError: string }
  | { id: number; syndicError: string; errorKind: SyndicErrorKind }
  | { id: number; error: string };

if (parentPort) {
  const port = parentPort;
  const runner = await createTaskRunner((workerData as { options: ResolvedOptions }).options);
  port.on('message', ({ id, task }: TaskRequest) => {
    let reply: TaskReply;
    let transfer: ArrayBuffer[] = [];
    try {
      const result = runTask(runner, task);
      if (result.kind === 'analyses') transfer = transferList(result.analyses);
      else if (result.kind === 'records') transfer = transferList(result.batch.analyses as PackedAnalyses, [result.batch.paragraphKeys.buffer as ArrayBuffer]);
      else if (result.kind === 'candidates') transfer = candidatesTransfer(result.candidates);
      else if (result.kind === 'pairs') transfer = [result.candidates.pairs.buffer as ArrayBuffer];
      else transfer = [result.values.buffer as ArrayBuffer];
      reply = { id, result };
    } catch (error) {
      if (error instanceof InputReadError) reply = { id, inputError: error.reason };
      else if (error instanceof SyndicError) reply = { id, syndicError: error.message, errorKind: error.kind };
      else reply = { id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    }
    port.postMessage(reply, transfer);
  });
}

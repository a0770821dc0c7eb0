/**
 * What a cluster task pool sends: a task (its id, module, export, arguments, and where to
 * tell its submitter about it), and the replies to the submitter: `[2, node]` when a node
 * starts it, then its outcome.
 */
import type { Outcome } from './wire';

export type TaskMessage = readonly [id: string, module: string, exportName: string, args: readonly unknown[], replyTo: string];

export type TaskReply = readonly [2, string] | Outcome;

export const STARTED = 2;

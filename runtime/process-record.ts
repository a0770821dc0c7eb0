import type { Worker } from 'node:worker_threads';
import type { SpanContext } from '@opentelemetry/api';
import type { ExitReason } from '../errors';
import type { From } from '../protocol/gen-server-definition';
import type { MailboxBound } from '../protocol/mailbox-counter';
import type { Port } from '../protocol/port';
import type { GaugeReader } from '../protocol/process-gauges';

/** Told once when a process exits, with why. */
export type ExitListener = (reason: ExitReason, pid: number) => void;

/** The main thread's record of one process, from its start until its thread is gone. */
export interface ProcessRecord {
  readonly pid: number;
  readonly name: string | undefined;
  readonly worker: Worker;
  /** The process's end of the message layer: its Worker, as a port. */
  readonly port: Port;
  /** The thread's id (`thread.id` on its spans); kept after exit, when the Worker reports -1. */
  readonly threadId: number;
  readonly autoSpans: boolean;
  /** The span prefix, as the process reported it once ready. */
  label: string;
  /** The last span its thread sent, preferring a failed one: what a restart span links to. */
  lastSpan: SpanContext | undefined;
  /** Set once the process said why it exits, or the runtime decided (kill, timeout). */
  exitReason: ExitReason | undefined;
  /** Resolves once the process has said it exits (or was killed): it handles no more messages. */
  readonly exiting: Promise<ExitReason>;
  /** Resolves when the thread is gone and everyone has been told. */
  readonly exited: Promise<ExitReason>;
  /** Calls from other processes delivered to it and not yet answered, by `callKey`. */
  readonly inFlight: Map<string, From>;
  readonly monitors: Set<ExitListener>;
  /** The processes linked to it (OTP's links): an abnormal exit of one takes the other down, unless it traps exits. */
  readonly links: Set<number>;
  /** Whether exit signals from linked processes arrive as `EXIT` messages instead of ending it. */
  trapExits: boolean;
  /** With a `maxMailbox` (or metrics or the live view on at its start): what is sent against what the thread took. */
  readonly mailbox: MailboxBound | undefined;
  /** With metrics or the live view on at its start: its heap and handling times, as its thread wrote them. */
  readonly gauges: GaugeReader | undefined;
  /** The module its GenServer definition comes from (absolute path). */
  readonly modulePath: string;
  /** When it started (`Date.now()`). */
  readonly startedAt: number;
  /** Startup: called when `init` has completed. */
  onReady: (() => void) | undefined;
}

/** The pid of the main thread in a `From`. */
export const MAIN_PID = 0;

/** Identifies a call in flight from one process to another. */
export const callKey = (from: From): string => `${from.pid}:${from.ref}`;

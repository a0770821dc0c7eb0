/**
 * worker-otp's `diagnostics_channel` events, for tools that prefer them to metrics or
 * spans. Each is published only when something subscribes (`channel.hasSubscribers`):
 * nothing is made otherwise.
 *
 * | channel | message |
 * |---|---|
 * | `worker-otp:process:start` | {@link ProcessStartMessage}: a GenServer's `init` completed |
 * | `worker-otp:process:exit` | {@link ProcessExitMessage}: a process's thread is gone |
 * | `worker-otp:supervisor:restart` | {@link SupervisorRestartMessage}: a supervisor restarted a child |
 * | `worker-otp:task:start` | {@link TaskStartMessage}: a task was submitted to a TaskSupervisor |
 * | `worker-otp:task:finish` | {@link TaskFinishMessage}: it settled |
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import type { ExitReason } from '../errors';

export const CHANNELS = {
  processStart: 'worker-otp:process:start',
  processExit: 'worker-otp:process:exit',
  supervisorRestart: 'worker-otp:supervisor:restart',
  taskStart: 'worker-otp:task:start',
  taskFinish: 'worker-otp:task:finish',
} as const;

export interface ProcessStartMessage {
  readonly pid: number;
  /** Its registered name, if it has one. */
  readonly name: string | undefined;
  /** Its span prefix: the name, or the definition's, or the module's. */
  readonly label: string;
  readonly module: string;
  readonly threadId: number;
}

export interface ProcessExitMessage {
  readonly pid: number;
  readonly name: string | undefined;
  readonly label: string;
  readonly reason: ExitReason;
  /** The trace of the last span its thread sent (a failed one first), when it was traced. */
  readonly traceId: string | undefined;
}

export interface SupervisorRestartMessage {
  readonly supervisor: string;
  readonly childId: string;
  /** The child's pid before and after the restart (a task supervisor child or a failed start has none). */
  readonly oldPid: number | undefined;
  readonly newPid: number | undefined;
  /** Why the child went down. */
  readonly reason: ExitReason;
}

export interface TaskStartMessage {
  readonly id: number;
  readonly supervisor: string;
  readonly module: string;
  readonly export: string;
}

export interface TaskFinishMessage {
  readonly id: number;
  readonly supervisor: string;
  readonly export: string;
  /** `ok`, or what ended it: an error it threw, a timeout or cancellation, its thread's death. */
  readonly outcome: TaskOutcomeKind;
  /** From submission to settling, ms. */
  readonly durationMs: number;
}

export type TaskOutcomeKind = 'ok' | 'error' | 'cancelled' | 'exit';

const channels = {
  processStart: diagnosticsChannel.channel(CHANNELS.processStart),
  processExit: diagnosticsChannel.channel(CHANNELS.processExit),
  supervisorRestart: diagnosticsChannel.channel(CHANNELS.supervisorRestart),
  taskStart: diagnosticsChannel.channel(CHANNELS.taskStart),
  taskFinish: diagnosticsChannel.channel(CHANNELS.taskFinish),
};

interface Messages {
  processStart: ProcessStartMessage;
  processExit: ProcessExitMessage;
  supervisorRestart: SupervisorRestartMessage;
  taskStart: TaskStartMessage;
  taskFinish: TaskFinishMessage;
}

/** Whether anyone listens on a channel: check before making its message. */
export function listening(channel: keyof Messages): boolean {
  return channels[channel].hasSubscribers;
}

/** Publishes `message` on `channel` (call it after `listening`). */
export function publish<C extends keyof Messages>(channel: C, message: Messages[C]): void {
  channels[channel].publish(message);
}

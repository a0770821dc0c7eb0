/**
 * The live view's feed of what just happened: process exits (with their reason and, when
 * traced, the trace of the last span the process sent: the failed one when it failed) and
 * supervisor restarts. Heard on worker-otp's `diagnostics_channel` channels while a live
 * view runs; the newest `limit` are kept.
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import { describeExitReason } from '../errors';
import { CHANNELS, type ProcessExitMessage, type SupervisorRestartMessage } from '../runtime/diagnostics';

export type FeedEvent =
  | { readonly kind: 'exit'; readonly at: number; readonly pid: number; readonly label: string; readonly reason: string; readonly abnormal: boolean; readonly traceId: string | null }
  | { readonly kind: 'restart'; readonly at: number; readonly supervisor: string; readonly childId: string; readonly oldPid: number | null; readonly newPid: number | null; readonly reason: string };

export class EventFeed {
  readonly #events: FeedEvent[] = [];
  readonly #limit: number;
  readonly #onEvent: () => void;
  readonly #onExit = (message: unknown) => {
    const exit = message as ProcessExitMessage;
    const abnormal = exit.reason.type !== 'normal' && exit.reason.type !== 'shutdown';
    this.#add({ kind: 'exit', at: Date.now(), pid: exit.pid, label: exit.label, reason: describeExitReason(exit.reason), abnormal, traceId: exit.traceId ?? null });
  };
  readonly #onRestart = (message: unknown) => {
    const restart = message as SupervisorRestartMessage;
    this.#add({
      kind: 'restart',
      at: Date.now(),
      supervisor: restart.supervisor,
      childId: restart.childId,
      oldPid: restart.oldPid ?? null,
      newPid: restart.newPid ?? null,
      reason: describeExitReason(restart.reason),
    });
  };

  /** Listens from now on; `onEvent` is told of each new event (the view pushes it at once). */
  constructor(limit: number, onEvent: () => void) {
    this.#limit = limit;
    this.#onEvent = onEvent;
    diagnosticsChannel.subscribe(CHANNELS.processExit, this.#onExit);
    diagnosticsChannel.subscribe(CHANNELS.supervisorRestart, this.#onRestart);
  }

  /** The events, newest first. */
  events(): readonly FeedEvent[] {
    return this.#events;
  }

  close(): void {
    diagnosticsChannel.unsubscribe(CHANNELS.processExit, this.#onExit);
    diagnosticsChannel.unsubscribe(CHANNELS.supervisorRestart, this.#onRestart);
  }

  #add(event: FeedEvent): void {
    this.#events.unshift(event);
    if (this.#events.length > this.#limit) this.#events.length = this.#limit;
    this.#onEvent();
  }
}

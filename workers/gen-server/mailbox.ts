import type { Context } from '@opentelemetry/api';
import type { MailboxEnvelope } from '../../protocol/envelopes';

/** A message waiting in the mailbox; one the process sent itself (`sendAfter`) keeps its context object. */
export interface MailboxEntry {
  readonly envelope: MailboxEnvelope;
  readonly localContext?: Context;
  /** A call, cast or message the main thread counted in (see `maxMailbox`): counted out when taken. */
  readonly counted?: boolean;
}

/**
 * A process's mailbox: messages wait here in arrival order and are handled one at a time.
 * A message whose handler is synchronous is served in the same turn of the event loop as
 * its arrival (no microtask hops between receipt and reply); an asynchronous handler holds
 * the mailbox until it settles.
 */
export class Mailbox {
  readonly #entries: MailboxEntry[] = [];
  readonly #handle: (entry: MailboxEntry) => Promise<void> | undefined;
  #draining = false;
  /** Whether messages are served: from the end of `init` until the process exits. */
  #open = false;

  /** `handle` serves one message; it returns a promise only when it is asynchronous. */
  constructor(handle: (entry: MailboxEntry) => Promise<void> | undefined) {
    this.#handle = handle;
  }

  /** Messages waiting, not counting the one being handled. */
  get depth(): number {
    return this.#entries.length;
  }

  push(entry: MailboxEntry): void {
    this.#entries.push(entry);
    this.#drain();
  }

  /** Starts serving (after `init`). */
  open(): void {
    this.#open = true;
    this.#drain();
  }

  /** Stops serving: what waits is never handled (the process is exiting). */
  close(): void {
    this.#open = false;
  }

  #drain(): void {
    if (this.#draining || !this.#open) return;
    this.#draining = true;
    while (this.#entries.length > 0 && this.#open) {
      const pending = this.#handle(this.#entries.shift()!);
      if (pending) {
        void pending.then(() => {
          this.#draining = false;
          this.#drain();
        });
        return;
      }
    }
    this.#draining = false;
  }
}

import type { TransferListItem } from 'node:worker_threads';
import { context } from '@opentelemetry/api';
import { describeValue } from '../errors';
import type { RuntimeRequestEnvelope } from '../protocol/envelopes';
import { takeTransfer } from '../protocol/move';
import { openTrace } from '../protocol/stamp';
import type { ProcessRecord } from './process-record';

/**
 * Does, for a process, what only the main thread can, with the process's `args` (whose
 * buffers the process may have moved in: a handler passing them on moves them on with
 * `move`). Runs inside the process's trace context; what it returns (or throws) is the
 * answer, moving what it marked.
 */
export type RuntimeRequestHandler = (caller: ProcessRecord, args: unknown) => unknown;

/** Answers a process's request: its value (moving what it marked) or why it failed. */
export type RequestAnswer = (caller: ProcessRecord, ref: number, answer: { value: unknown } | { error: Error }, transfer?: readonly TransferListItem[]) => void;

/**
 * The operations processes ask the main thread for, by name: starting processes, links,
 * monitors and groups (registered by the runtime), supervisors and tasks (registered by
 * the supervision layer, above it). One handler per operation.
 */
export class RuntimeRequests {
  readonly #handlers = new Map<string, RuntimeRequestHandler>();
  readonly #answer: RequestAnswer;

  constructor(answer: RequestAnswer) {
    this.#answer = answer;
  }

  /** Adds the handler of `op`; a second one for the same `op` is a programming error. */
  register(op: string, handler: RuntimeRequestHandler): void {
    if (this.#handlers.has(op)) throw new Error(`worker-otp: the runtime request ${op} has a handler already`);
    this.#handlers.set(op, handler);
  }

  handle(caller: ProcessRecord, request: RuntimeRequestEnvelope): void {
    const handler = this.#handlers.get(request.op);
    if (handler === undefined) {
      this.#answer(caller, request.ref, { error: new TypeError(`worker-otp: no runtime request ${describeValue(request.op)}; the process runs a newer worker-otp than the main thread`) });
      return;
    }
    let result: unknown;
    try {
      result = context.with(openTrace(request), () => handler(caller, request.args));
    } catch (error) {
      this.#answer(caller, request.ref, { error: error as Error });
      return;
    }
    void Promise.resolve(result).then(
      (value) => this.#answer(caller, request.ref, { value }, takeTransfer(value)),
      (error: unknown) => this.#answer(caller, request.ref, { error: error as Error }),
    );
  }
}

import type { Span } from '@opentelemetry/api';
import type { Deadline } from '../../protocol/deadline-queue';
import type { WaitingCall } from '../../protocol/call-book';
import { recordFailure } from './run-in-span';

/**
 * A call waiting for its answer, with the CLIENT span that covers the wait: settles the
 * caller's promise and ends the span (with the failure recorded on it, if any). One object
 * per call, the whole state of a call in flight.
 */
export class ClientCall<Callee> implements WaitingCall {
  deadline: Deadline | undefined = undefined;

  constructor(
    /** Whom the call is to: its exit fails the call. */
    readonly callee: Callee,
    private readonly span: Span | undefined,
    private readonly settleValue: (value: unknown) => void,
    private readonly settleError: (error: Error) => void,
  ) {}

  resolve(value: unknown): void {
    this.span?.end();
    this.settleValue(value);
  }

  reject(error: Error): void {
    if (this.span) {
      recordFailure(this.span, error);
      this.span.end();
    }
    this.settleError(error);
  }
}

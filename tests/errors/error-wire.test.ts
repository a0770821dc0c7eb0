import { CallTimeoutError, ProcessExitError, RemoteError, WorkerOtpError } from '../../dist';
import { fromWireError, toWireError } from '../../dist/errors/error-wire';

/** Sends through a real structured clone, as a message between threads would. */
const crossThread = (error: unknown) => fromWireError(structuredClone(toWireError(error)));

describe('errors across threads', () => {
  it('rebuilds worker-otp error classes with their code and fields', () => {
    const rebuilt = crossThread(new CallTimeoutError({ pid: 3, name: 'cache' }, 250));
    expect(rebuilt).toBeInstanceOf(CallTimeoutError);
    expect(rebuilt).toBeInstanceOf(WorkerOtpError);
    expect(rebuilt).toMatchObject({ name: 'CallTimeoutError', code: 'ERR_CALL_TIMEOUT', timeoutMs: 250 });
    expect(rebuilt.message).toContain('cache (<0.3>) did not reply within 250 ms');
  });

  it('rebuilds built-in classes and keeps the stack and the cause chain', () => {
    const original = new TypeError('outer', { cause: new RangeError('inner') });
    const rebuilt = crossThread(original);
    expect(rebuilt).toBeInstanceOf(TypeError);
    expect(rebuilt.stack).toBe(original.stack);
    expect(rebuilt.cause).toBeInstanceOf(RangeError);
    expect((rebuilt.cause as Error).message).toBe('inner');
  });

  it('keeps the name, code and fields of a class this thread does not know', () => {
    class PaymentDeclined extends Error {
      code = 'E_DECLINED';
      amount = 42;
      override name = 'PaymentDeclined';
    }
    const rebuilt = crossThread(new PaymentDeclined('card refused'));
    expect(rebuilt).toBeInstanceOf(RemoteError);
    expect(rebuilt).toMatchObject({ name: 'PaymentDeclined', message: 'card refused', code: 'E_DECLINED', amount: 42 });
  });

  it('carries a process-exit error with its reason', () => {
    const rebuilt = crossThread(new ProcessExitError({ pid: 9 }, { type: 'killed' }, 'killed')) as ProcessExitError;
    expect(rebuilt).toBeInstanceOf(ProcessExitError);
    expect(rebuilt.reason).toEqual({ type: 'killed' });
    expect(rebuilt.process).toEqual({ pid: 9 });
  });

  it('turns a thrown non-error into an Error that says what it was', () => {
    expect(crossThread({ status: 503 }).message).toBe('non-error value thrown: {"status":503}');
    expect(crossThread(undefined).message).toBe('non-error value thrown: undefined');
  });

  it('leaves out fields that cannot be cloned instead of failing', () => {
    const error = Object.assign(new Error('with a callback'), { retry: () => 1, attempt: 2 });
    expect(crossThread(error)).toMatchObject({ message: 'with a callback', attempt: 2 });
  });
});

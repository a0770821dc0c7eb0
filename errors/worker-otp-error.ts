/** Where a worker-otp error records the names of its class and its ancestors. */
const ERROR_CLASSES = Symbol.for('worker-otp.error-classes');

function classNames(target: object): string[] {
  const names: string[] = [];
  for (let current: unknown = target; typeof current === 'function' && current !== Error; current = Object.getPrototypeOf(current)) {
    names.push(current.name);
  }
  return names;
}

/** Base class of every error worker-otp raises on purpose. */
export class WorkerOtpError<Code extends string = string> extends Error {
  /** Stable identifier to branch on, e.g. `ERR_CALL_TIMEOUT`. */
  readonly code: Code;

  constructor(code: Code, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : options);
    this.code = code;
    this.name = new.target.name;
  }

  /** The names of this error's class and its ancestors (read by `instanceof`, below). */
  get [ERROR_CLASSES](): string[] {
    return classNames(this.constructor);
  }

  /**
   * `instanceof` by class name as well as by prototype: a worker thread runs a bundled
   * copy of worker-otp, and an application module there may load the package's main entry
   * too; an error one copy throws is still an instance of the other copy's classes.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    const names = (value as { [ERROR_CLASSES]?: readonly string[] } | null)?.[ERROR_CLASSES];
    return Array.isArray(names) && names.includes(this.name);
  }
}

/**
 * An error thrown in another thread, whose class is not one worker-otp knows. Its
 * `name`, `message`, `stack`, `code` and `cause` are the original's.
 */
export class RemoteError extends Error {
  readonly code: string | undefined;
  constructor(name: string, message: string, code?: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = name;
    this.code = code;
  }
}

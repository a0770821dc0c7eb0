/**
 * How errors and messages name values and processes: short, safe descriptions that never
 * throw, whatever they are given.
 */

/** A short, safe description of any value, for messages that say what was given or returned. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return `a function${value.name ? ` (${value.name})` : ''}`;
  if (typeof value === 'symbol') return value.toString();
  if (typeof value === 'bigint') return `${value}n`;
  try {
    const json = JSON.stringify(value);
    if (json === undefined) return String(value);
    return json.length > 120 ? `${json.slice(0, 117)}...` : json;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** Erlang-style display of a pid number: `<0.42>`. */
export function formatPid(pid: number): string {
  return `<0.${pid}>`;
}

/** Describes a process for error messages: its name when it has one, and its pid. */
export interface ProcessLabel {
  /** Unknown when a call names its target by a name that did not resolve here. */
  readonly pid?: number;
  readonly name?: string;
}

/** `cache (<0.3>)`, `cache`, `<0.3>` or `a process`. */
export function describeProcess(process: ProcessLabel): string {
  const pid = process.pid === undefined ? undefined : formatPid(process.pid);
  if (process.name && pid) return `${process.name} (${pid})`;
  return process.name ?? pid ?? 'a process';
}

/** The message of anything thrown: an error's, or the value described. */
export function messageOf(thrown: unknown): string {
  // Duck-typed: an error from another realm (a vm context, a test sandbox) is no `instanceof Error` here.
  const message = (thrown as { message?: unknown } | null)?.message;
  if (typeof message === 'string') return message;
  return typeof thrown === 'string' ? thrown : describeValue(thrown);
}

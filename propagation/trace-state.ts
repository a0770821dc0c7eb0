/**
 * W3C `tracestate`, as https://www.w3.org/TR/trace-context-2/#tracestate-header specifies
 * it: a list of up to 32 `key=value` members, keys unique, separated by commas with
 * optional whitespace (spaces and tabs) around them; empty members are allowed. Several
 * header lines are one list, joined with commas. A list with an invalid member, or with
 * more than 32 members, is discarded whole. Never throws.
 */
import type { TraceState } from '@opentelemetry/api';

/** At most this many members in a list. */
export const MAX_TRACESTATE_MEMBERS = 32;

// key = ( lcalpha / DIGIT ) 0*255 ( lcalpha / DIGIT / "_" / "-" / "*" / "/" / "@" )
const KEY = /^[a-z0-9][a-z0-9_\-*/@]{0,255}$/;
// value = 0*255( %x20 / nblk-chr ) nblk-chr; nblk-chr = %x21-2B / %x2D-3C / %x3E-7E
const VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;
/** RFC 9110 optional whitespace. */
const OWS = /^[ \t]+|[ \t]+$/g;

/** An immutable, validated trace state; `set` and `unset` return a new one, as the API requires. */
export class W3CTraceState implements TraceState {
  /** Members in order, the left-most first. */
  readonly #members: ReadonlyMap<string, string>;

  private constructor(members: ReadonlyMap<string, string>) {
    this.#members = members;
  }

  /**
   * Parses one header value, or several header lines (combined in order). `undefined` for
   * an empty list, or one the specification says to discard.
   */
  static parse(header: string | readonly string[]): W3CTraceState | undefined {
    const combined = typeof header === 'string' ? header : header.join(',');
    const members = new Map<string, string>();
    let count = 0;
    for (const raw of combined.split(',')) {
      const member = raw.replace(OWS, '');
      if (member === '') continue;
      const separator = member.indexOf('=');
      if (separator <= 0) return undefined;
      const key = member.slice(0, separator);
      const value = member.slice(separator + 1);
      if (!KEY.test(key) || !VALUE.test(value)) return undefined;
      if (++count > MAX_TRACESTATE_MEMBERS) return undefined;
      // A duplicate key: the first (left-most, most recent) one is kept.
      if (!members.has(key)) members.set(key, value);
    }
    return members.size === 0 ? undefined : new W3CTraceState(members);
  }

  get(key: string): string | undefined {
    return this.#members.get(key);
  }

  /** A copy with `key` set and moved to the left; the right-most member goes past 32. Invalid input is ignored. */
  set(key: string, value: string): TraceState {
    if (!KEY.test(key) || !VALUE.test(value)) return this;
    const members = new Map([[key, value]]);
    for (const [other, otherValue] of this.#members) {
      if (other !== key && members.size < MAX_TRACESTATE_MEMBERS) members.set(other, otherValue);
    }
    return new W3CTraceState(members);
  }

  unset(key: string): TraceState {
    if (!this.#members.has(key)) return this;
    const members = new Map(this.#members);
    members.delete(key);
    return new W3CTraceState(members);
  }

  serialize(): string {
    let header = '';
    for (const [key, value] of this.#members) header += header === '' ? `${key}=${value}` : `,${key}=${value}`;
    return header;
  }
}

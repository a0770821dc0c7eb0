/**
 * Moving instead of copying: `move(value)` marks a payload whose buffers (`ArrayBuffer`s,
 * the buffers of typed arrays and `DataView`s, `MessagePort`s) are to be transferred to
 * the receiving thread rather than structured-cloned. Whoever sends the payload next (a
 * call, cast, send, reply, task argument or result) takes the mark and posts with a
 * transfer list; the sender's buffers are detached afterwards, as the platform does.
 *
 * The mark lives in a weak map beside the value, so `move(x)` has the type of `x` and a
 * typed call accepts it; the map sits on `globalThis`, so a second copy of worker-otp
 * loaded in the same thread sees the marks of the first.
 */
import { types } from 'node:util';
import { MessagePort, type TransferListItem } from 'node:worker_threads';
import { describeValue } from '../errors';

interface Marks {
  readonly byValue: WeakMap<object, readonly TransferListItem[]>;
  /** Marks set and neither taken nor collected: while there are none, a send looks nothing up. */
  pending: number;
  /** Counts out the marks of values collected without being sent. */
  readonly collected: FinalizationRegistry<undefined>;
}

const KEY = Symbol.for('worker-otp.moves');
const registry = globalThis as { [KEY]?: Marks };
const marks: Marks = (registry[KEY] ??= {
  byValue: new WeakMap(),
  pending: 0,
  collected: new FinalizationRegistry(() => {
    marks.pending -= 1;
  }),
});

/** Objects visited at most when walking a payload: a payload is data, not a heap. */
const MAX_VISITED = 10_000;

/** By their internal type, not `instanceof`: a buffer made in another realm (a `vm` context) is one too. */
function isTransferable(value: object): value is TransferListItem {
  return types.isArrayBuffer(value) || value instanceof MessagePort;
}

/**
 * Walks the objects of a payload, each once: `value` itself, the items of arrays, maps and
 * sets, the properties of other objects; not into transferables or typed arrays. `visit`
 * says whether to look inside an object.
 */
function walk(value: object, visit: (current: object) => boolean): void {
  const seen = new Set<object>();
  const pending: object[] = [value];
  const push = (item: unknown) => {
    if (item !== null && typeof item === 'object') pending.push(item);
  };
  while (pending.length > 0 && seen.size < MAX_VISITED) {
    const current = pending.pop()!;
    if (seen.has(current)) continue;
    seen.add(current);
    if (!visit(current) || isTransferable(current) || ArrayBuffer.isView(current)) continue;
    if (current instanceof Map) {
      for (const [key, item] of current) {
        push(key);
        push(item);
      }
    } else if (current instanceof Set || Array.isArray(current)) {
      for (const item of current) push(item);
    } else {
      for (const key of Object.keys(current)) push((current as Record<string, unknown>)[key]);
    }
  }
}

/** The transferable objects in `value`: itself, the buffers of typed arrays, those of its properties and items. */
function transferablesIn(value: object): TransferListItem[] {
  const found = new Set<TransferListItem>();
  walk(value, (current) => {
    if (isTransferable(current)) found.add(current);
    else if (ArrayBuffer.isView(current) && types.isArrayBuffer(current.buffer)) found.add(current.buffer);
    return true;
  });
  return [...found];
}

/**
 * Marks `value` to be moved, not copied, by the next send that carries it: a call, cast,
 * send or reply, a task's argument or result, an item of `map`. What moves is `transfer`
 * when given, else every `ArrayBuffer`, typed array or `DataView` buffer and `MessagePort`
 * found in `value` (itself, its properties and items, nested). Returns `value` itself, so
 * it fits wherever `value` does:
 *
 * ```ts
 * const samples = new Float64Array(8_000_000);
 * const stats = await analyzer.call({ type: 'analyze', samples: move(samples) }); // moved, not copied
 * // samples.length is now 0: its buffer belongs to the process
 * ```
 *
 * A `SharedArrayBuffer` is never moved nor copied: every thread it is sent to shares it.
 * Sending a buffer that was already moved away fails with `PayloadNotCloneableError`.
 */
export function move<T>(value: T, transfer?: readonly TransferListItem[]): T {
  if (value === null || typeof value !== 'object') {
    throw new TypeError(`worker-otp move: only an object can be moved (an ArrayBuffer, a typed array, a MessagePort, or data holding them); got ${describeValue(value)}`);
  }
  if (transfer !== undefined && !Array.isArray(transfer)) {
    throw new TypeError(`worker-otp move: transfer must be an array of ArrayBuffers and MessagePorts; got ${describeValue(transfer)}`);
  }
  if (!marks.byValue.has(value)) {
    marks.pending += 1;
    marks.collected.register(value, undefined, value);
  }
  marks.byValue.set(value, transfer ?? transferablesIn(value));
  return value;
}

/**
 * What a payload moves: the transfer lists of `value` and of everything in it that `move`
 * marked, joined, each buffer once (a list that names one twice is refused); the marks are
 * taken. `undefined` when nothing in it was moved. Walks the payload only while some mark
 * is pending.
 */
export function takeTransfer(value: unknown): TransferListItem[] | undefined {
  if (marks.pending === 0 || value === null || typeof value !== 'object') return undefined;
  let joined: Set<TransferListItem> | undefined;
  walk(value, (current) => {
    const transfer = marks.byValue.get(current);
    if (transfer === undefined) return true;
    marks.byValue.delete(current);
    marks.collected.unregister(current);
    marks.pending -= 1;
    for (const item of transfer) (joined ??= new Set()).add(item);
    return false;
  });
  return joined && sendable([...joined]);
}

/**
 * A transfer list without empty `ArrayBuffer`s. A buffer moved away already is empty, and
 * Node posts a message whose payload holds such a buffer, listed for transfer, and then
 * silently never delivers it; left off the list, the buffer makes the send fail with a
 * `DataCloneError` instead, which worker-otp reports. (An empty buffer that was never
 * moved is copied then: nothing to copy.)
 */
export function sendable(transfer: TransferListItem[]): TransferListItem[] | undefined {
  const kept = transfer.filter((item) => !types.isArrayBuffer(item) || item.byteLength > 0);
  return kept.length > 0 ? kept : undefined;
}

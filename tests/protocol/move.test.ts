/** move(): what a payload transfers, found once, each buffer once, and only when marked. */
import { MessageChannel } from 'node:worker_threads';
import { move, takeTransfer } from '../../dist/protocol/move';

it('finds the buffers of a marked value, nested in objects, arrays, maps and sets, each once', () => {
  const samples = new Float64Array(4);
  const raw = new ArrayBuffer(8);
  const { port1 } = new MessageChannel();
  const shared = new Uint8Array(samples.buffer, 8, 8);
  const payload = move({ samples, inner: [raw, { again: samples }], byKey: new Map([['raw', raw]]), set: new Set([shared]), port: port1 });
  const transfer = takeTransfer(payload)!;
  expect(transfer).toHaveLength(3);
  expect(new Set(transfer)).toEqual(new Set([samples.buffer, raw, port1]));
  port1.close();
});

it('takes the marks of values nested in an unmarked payload, and takes them only once', () => {
  const samples = new Float64Array(2);
  const request = { type: 'analyze', samples: move(samples) };
  expect(takeTransfer(request)).toEqual([samples.buffer]);
  expect(takeTransfer(request)).toBeUndefined();
});

it('uses the transfer list it is given', () => {
  const first = new ArrayBuffer(4);
  const second = new ArrayBuffer(4);
  expect(takeTransfer(move({ first, second }, [second]))).toEqual([second]);
});

it('finds nothing in a payload nothing in which was moved', () => {
  expect(takeTransfer({ samples: new Float64Array(2) })).toBeUndefined();
  expect(takeTransfer('text')).toBeUndefined();
});

it('refuses what cannot be moved, saying why', () => {
  expect(() => move(42)).toThrow('only an object can be moved');
  expect(() => move(new ArrayBuffer(1), 'all' as never)).toThrow('transfer must be an array');
});

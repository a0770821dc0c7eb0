/** The progress bar: shown on a terminal once work runs past its threshold, silent elsewhere. */
import { Writable } from 'node:stream';
import { ProgressBar } from '../../dist/examples/support/progress-bar';

function stream(isTTY: boolean): { output: string[]; stream: NodeJS.WriteStream } {
  const output: string[] = [];
  const writable = new Writable({ write: (chunk, _encoding, done) => (output.push(String(chunk)), done()) });
  return { output, stream: Object.assign(writable, { isTTY }) as unknown as NodeJS.WriteStream };
}

it('draws items done, rate and ETA on a terminal, and ends its line', async () => {
  const { output, stream: tty } = stream(true);
  const bar = new ProgressBar('batch', tty, 0);
  bar.update(25, 100);
  bar.finish();
  await new Promise((resolve) => setImmediate(resolve));
  expect(output[0]).toMatch(/^\rbatch █+░+ 25\/100 {2}\d+ items\/s {2}ETA [\d.]+ s $/);
  expect(output[1]).toBe('\n');
});

it('stays quiet when output is not a terminal, or before its threshold', async () => {
  const { output: piped, stream: pipe } = stream(false);
  new ProgressBar('batch', pipe, 0).update(50, 100);
  const { output: early, stream: tty } = stream(true);
  const bar = new ProgressBar('batch', tty, 60_000);
  bar.update(50, 100);
  bar.finish();
  await new Promise((resolve) => setImmediate(resolve));
  expect(piped).toEqual([]);
  expect(early).toEqual([]);
});

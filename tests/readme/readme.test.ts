/**
 * Every TypeScript sample in the README is one of the files beside this test, verbatim,
 * and those files are type-checked against the package's source by `npm test`
 * (tsconfig.test.json), so a sample cannot drift from the API.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const snippetsDir = join(__dirname, 'snippets');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const samples = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!.trim());
const snippets = new Map(readdirSync(snippetsDir).map((file) => [file, readFileSync(join(snippetsDir, file), 'utf8').trim()]));

it('has TypeScript samples', () => {
  expect(samples.length).toBeGreaterThanOrEqual(snippets.size);
});

it.each(samples.map((sample, index) => [index + 1, sample] as const))('sample %i is a type-checked snippet', (_index, sample) => {
  const match = [...snippets.entries()].find(([, content]) => content === sample);
  expect(match?.[0] ?? `no snippet file holds:\n${sample}`).toMatch(/\.ts$/);
});

it('uses every snippet', () => {
  const unused = [...snippets.entries()].filter(([, content]) => !samples.includes(content)).map(([file]) => file);
  expect(unused).toEqual([]);
});

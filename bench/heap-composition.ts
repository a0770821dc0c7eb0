/**
 * What the heap holds, from a heap snapshot: everything, and the part that is V8's own
 * compiled code and type feedback (snapshot nodes of type `code`). Over a long run the
 * code part grows as V8 optimises paths that become hot; the rest is the program's data,
 * and a leak shows there. Needs --expose-gc.
 */
import { getHeapSnapshot } from 'node:v8';

export interface HeapComposition {
  readonly totalBytes: number;
  readonly codeBytes: number;
  /** What is not code: the program's data. */
  readonly dataBytes: number;
}

interface SnapshotJson {
  readonly snapshot: { readonly meta: { readonly node_fields: string[]; readonly node_types: [string[], ...unknown[]] } };
  readonly nodes: number[];
}

export async function heapComposition(): Promise<HeapComposition> {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('heapComposition needs node --expose-gc');
  collect();
  const chunks: string[] = [];
  for await (const chunk of getHeapSnapshot()) chunks.push(String(chunk));
  const { snapshot, nodes } = JSON.parse(chunks.join('')) as SnapshotJson;
  const fields = snapshot.meta.node_fields;
  const typeNames = snapshot.meta.node_types[0];
  const typeAt = fields.indexOf('type');
  const sizeAt = fields.indexOf('self_size');
  const codeType = typeNames.indexOf('code');
  let totalBytes = 0;
  let codeBytes = 0;
  for (let index = 0; index < nodes.length; index += fields.length) {
    const size = nodes[index + sizeAt]!;
    totalBytes += size;
    if (nodes[index + typeAt] === codeType) codeBytes += size;
  }
  return { totalBytes, codeBytes, dataBytes: totalBytes - codeBytes };
}

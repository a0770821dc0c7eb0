/** The cluster scenario's task: a page of a report, rendered on whichever node has a free thread. */

/** Renders page `page` (about 30 ms of CPU); says which program (pid) ran it. */
export function renderPage(page: number): { page: number; pid: number; checksum: number } {
  const until = performance.now() + 30;
  let checksum = page;
  while (performance.now() < until) checksum = (checksum * 31 + 7) % 1_000_003;
  return { page, pid: process.pid, checksum };
}

import { availableParallelism, cpus } from 'node:os';
import type { Summary } from './stats';

/** One measured case, as the JSON output lists it. */
export interface CaseResult extends Summary {
  readonly id: string;
  readonly unit: string;
  readonly p50?: number;
  readonly p99?: number;
}

/** A ratio between two cases of the same run, with the goal it is held to. */
export interface RatioResult {
  readonly id: string;
  readonly of: string;
  readonly to: string;
  readonly value: number;
  /** E.g. `<= 1.15` or `>= 2.5`; none for a ratio reported for comparison only. */
  readonly goal: string | undefined;
  readonly met: boolean | undefined;
}

/** Collects a run's cases and ratios; renders them as a Markdown table or JSON. */
export class Report {
  readonly cases: CaseResult[] = [];
  readonly ratios: RatioResult[] = [];

  add(result: CaseResult): CaseResult {
    this.cases.push(result);
    return result;
  }

  /** Records `of / to` (by their medians, or the given figures) against `goal`, if it has one. */
  ratio(id: string, of: CaseResult, to: CaseResult, goal: `${'<=' | '>='} ${number}` | undefined, figure: (c: CaseResult) => number = (c) => c.median): RatioResult {
    const value = figure(of) / figure(to);
    const [operator, bound] = goal?.split(' ') ?? [];
    const met = goal === undefined ? undefined : operator === '<=' ? value <= Number(bound) : value >= Number(bound);
    const ratio = { id, of: of.id, to: to.id, value, goal, met };
    this.ratios.push(ratio);
    return ratio;
  }

  /** Records `of / to`, found by case id, for comparison only, when both ran in this run. */
  compare(id: string, ofId: string, toId: string): void {
    const of = this.cases.find((result) => result.id === ofId);
    const to = this.cases.find((result) => result.id === toId);
    if (of && to) this.ratio(id, of, to, undefined);
  }

  toJSON() {
    return {
      env: { node: process.version, cpus: availableParallelism(), cpuModel: cpus()[0]?.model ?? 'unknown', date: new Date().toISOString() },
      cases: this.cases,
      ratios: this.ratios,
    };
  }

  toMarkdown(): string {
    const number = (value: number | undefined) => (value === undefined ? '' : value >= 100 ? value.toFixed(0) : value.toFixed(2));
    const lines = [
      '| case | unit | median | min | max | p50 | p99 | samples |',
      '|---|---|---:|---:|---:|---:|---:|---:|',
      ...this.cases.map((c) => `| ${c.id} | ${c.unit} | ${number(c.median)} | ${number(c.min)} | ${number(c.max)} | ${number(c.p50)} | ${number(c.p99)} | ${c.samples} |`),
      '',
      '| ratio | of / to | value | goal | met |',
      '|---|---|---:|---|---|',
      ...this.ratios.map((r) => `| ${r.id} | ${r.of} / ${r.to} | ${r.value.toFixed(2)} | ${r.goal ?? '—'} | ${r.met === undefined ? '—' : r.met ? 'yes' : 'no'} |`),
    ];
    return lines.join('\n');
  }
}

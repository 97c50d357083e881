/** One measured figure, as written to bench/results/latest.json. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
}

/** A benchmark module: `prefix` lets `npm run bench -- PREFIX` pick a subset. */
export interface Bench {
  /** Name prefix of every figure this bench produces, e.g. `routeros.` */
  prefix: string;
  run(): Promise<BenchResult[]>;
}

// Tests never time: a loaded machine must not turn a slow page into a miss, so reader tests
// read with a page budget no loaded machine reaches (the budget itself is tested with an
// injected clock in read-ladder.test.ts). One constant, so every reader test reads alike.
import type { ReadLimits } from '../../../utils/document/read-limits.ts';

export const UNTIMED: Partial<ReadLimits> = { pageBudgetMs: 60_000 };

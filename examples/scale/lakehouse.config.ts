/**
 * The default lakehouse at 200 datasets (examples/scale/scale-config.ts):
 * `npx lakehouse synth -c examples/scale/lakehouse.config.ts` synthesizes it,
 * `npx lakehouse cost -c examples/scale/lakehouse.config.ts` estimates it.
 */
import { scaleConfig } from "./scale-config";

const config = scaleConfig(200);

// Eight batch jobs' runs and their logs take dev to about $5.1 of the sample's $5 (npx lakehouse cost): a real estate budgets more.
export default { ...config, budget: { ...config.budget, monthlyUsd: 20 } };

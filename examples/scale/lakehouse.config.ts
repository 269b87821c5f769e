/**
 * The default lakehouse at 200 datasets (examples/scale/scale-config.ts):
 * `npx lakehouse synth -c examples/scale/lakehouse.config.ts` synthesizes it.
 */
import { scaleConfig } from "./scale-config";

export default scaleConfig(200);

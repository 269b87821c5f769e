/** `npm run synth`: the same as `lakehouse synth`, without going through the bin shim. */
import { main } from "./cli/main";

void main([process.argv[0], "lakehouse", "synth", ...process.argv.slice(2)]);

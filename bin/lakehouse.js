#!/usr/bin/env node
// The `lakehouse` CLI. TypeScript runs through tsx's loader (no type-checking,
// no build step); `npm run typecheck` is where types are checked.

// The AWS SDK warns at every start that its releases after January 2027 need Node 22. Its
// version is pinned in package.json, so that one warning says nothing here; others still print.
const [printWarning] = process.listeners("warning");
process.removeAllListeners("warning");
process.on("warning", (warning) => {
  // The SDK emits it as a plain Warning whose message starts with the name.
  const nodeVersionWarning = warning.name === "NodeVersionSupportWarning" || warning.message.startsWith("NodeVersionSupportWarning:");
  if (!nodeVersionWarning && printWarning) printWarning(warning);
});

require("tsx/cjs");
require("../scripts/cli/main.ts").main(process.argv);

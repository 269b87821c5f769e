#!/usr/bin/env node
// The `lakehouse` CLI. TypeScript runs through tsx's loader (no type-checking,
// no build step); `npm run typecheck` is where types are checked.
require("tsx/cjs");
require("../scripts/cli/main.ts").main(process.argv);

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  testMatch: ["<rootDir>/__tests__/**/*.test.ts"],
  // swc strips types without checking them: fast tests; `npm run typecheck` checks types.
  transform: { "^.+\\.tsx?$": ["@swc/jest", { jsc: { target: "es2022" } }] },
  setupFilesAfterEnv: ["<rootDir>/__tests__/support/setup-cdktf-matchers.ts"],
  testTimeout: 60000,
};

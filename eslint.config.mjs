// Lint rules that guard the project's promises; style is left to the reader.
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "cdktf.out/", "dist/", "build/", ".lake/", ".venv/", "coverage/", "**/*.js", "**/*.mjs"] },
  {
    files: ["**/*.ts"],
    languageOptions: { parser: tseslint.parser },
    plugins: { "@typescript-eslint": tseslint.plugin },
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "@cdktf/provider-aws",
              message:
                "The provider barrel loads all ~390 MB of resources (6.4 s vs 1.0 s synth). Import from @cdktf/provider-aws/lib/<resource>.",
            },
          ],
          patterns: [
            {
              regex: "^@cdktf/provider-aws/lib/?$",
              message: "Import one resource: @cdktf/provider-aws/lib/<resource>.",
            },
          ],
        },
      ],
    },
  },
);

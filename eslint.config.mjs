// Layering from ARCHITECTURE.md, enforced: the plan core is a leaf, the
// runner knows nothing of databases or frameworks, lib never imports app.
import importX from "eslint-plugin-import-x";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import tseslint from "typescript-eslint";

const frameworkPackages = [
  "next",
  "next/*",
  "react",
  "react-dom",
  "@xyflow/*",
  "@tanstack/*",
  "@prisma/*",
  "pg",
  "better-sqlite3",
  "bullmq",
  "ioredis",
];
/** zod's mini build has no messages until a locale is set; lib/plan/mini-zod.ts sets English and is the one way in. */
const miniZodDirectly = {
  group: ["zod/mini", "zod/v4/mini", "zod/v4-mini"],
  message: "Import zod's mini build through lib/plan/mini-zod.ts, which sets its English messages.",
};
const noFrameworks = (layer) => ({
  patterns: [miniZodDirectly, { group: frameworkPackages, message: `${layer} is framework-free (see ARCHITECTURE.md).` }],
});

export default tseslint.config(
  {
    ignores: ["node_modules", ".next", "dist", "lib/db/generated", "test-results", "playwright-report", "data", "next-env.d.ts", "public"],
  },
  ...tseslint.configs.recommended,
  {
    plugins: { "import-x": importX },
    settings: { "import-x/resolver-next": [createTypeScriptImportResolver()] },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/ban-ts-comment": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-syntax": [
        "error",
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: "Read configuration through lib/env.ts only.",
        },
      ],
      "import-x/no-restricted-paths": [
        "error",
        {
          zones: [
            // One zone per row of ARCHITECTURE.md's table (scripts/architecture.test.ts checks that they agree).
            {
              target: "./lib/plan",
              from: "./lib",
              except: ["./plan"],
              message: "lib/plan is the pure core: it imports nothing of the project but itself.",
            },
            {
              target: "./lib/run-events",
              from: "./lib",
              except: ["./run-events", "./plan"],
              message: "lib/run-events is the run contract the browser, runner and server share: it imports only lib/plan.",
            },
            {
              target: "./lib/runner",
              from: ["./lib/db", "./lib/server", "./lib/cli", "./lib/cluster", "./app"],
              message: "lib/runner gets persistence through its store port, never lib/db or the app.",
            },
            {
              target: "./lib/db",
              from: ["./lib/server", "./lib/cli", "./lib/cluster", "./app"],
              message: "lib/db is below the server and the app.",
            },
            {
              target: "./lib/auth",
              from: "./lib",
              except: ["./auth"],
              message: "lib/auth is a leaf: passwords, secrets and rate limits, nothing of the project.",
            },
            {
              target: "./lib/run-view",
              from: "./lib",
              except: ["./run-view", "./run-events"],
              message: "lib/run-view folds run events for the browser: it may use only the run contract.",
            },
            {
              target: "./lib/library",
              from: "./lib",
              except: ["./library", "./plan"],
              message: "lib/library holds pure plan helpers the browser uses too; the library's services are in lib/server.",
            },
            { target: "./lib/samples", from: "./lib", except: ["./samples", "./plan"], message: "lib/samples holds plan documents only." },
            {
              target: "./lib/mcp",
              from: ["./lib/db", "./lib/server", "./lib/cli", "./app"],
              message: "lib/mcp drives Batchboard through its AgentBackend port; lib/server implements it.",
            },
            { target: ["./lib/server", "./lib/cluster"], from: "./lib/cli", message: "lib/cli is an entry point: no layer imports it." },
            { target: "./lib", from: "./app", message: "lib never imports app/." },
            {
              target: "./app",
              from: ["./lib/cli", "./lib/testing", "./lib/runner"],
              message: "The app does not use the CLI, test helpers or the runner (run events and statuses are in lib/run-events).",
            },
          ],
        },
      ],
    },
  },
  { files: ["**/*.{ts,tsx}"], rules: { "no-restricted-imports": ["error", { patterns: [miniZodDirectly] }] } },
  { files: ["lib/plan/**/*.ts"], rules: { "no-restricted-imports": ["error", noFrameworks("lib/plan")] } },
  { files: ["lib/runner/**/*.ts"], rules: { "no-restricted-imports": ["error", noFrameworks("lib/runner")] } },
  {
    // The env module itself, Next's instrumentation hook (runtime check) and test/build tooling may read process.env.
    files: [
      "lib/env.ts",
      "instrumentation.ts",
      "playwright.config.ts",
      "scripts/**",
      "e2e/**",
      "bench/**",
      "**/*.test.ts",
      "lib/testing/**",
    ],
    rules: { "no-restricted-syntax": "off" },
  },
  {
    files: ["lib/plan/mini-zod.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [{ group: frameworkPackages, message: "lib/plan is framework-free." }] }] },
  },
  // The CLI's launcher is CommonJS on purpose (scripts/cli-bundle.cjs says why).
  { files: ["**/*.cjs"], languageOptions: { sourceType: "commonjs" }, rules: { "@typescript-eslint/no-require-imports": "off" } },
);

import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

/** The layering in ARCHITECTURE.md, checked by linting imports a layer may not make. */
const forbidden: { file: string; source: string }[] = [
  { file: "lib/plan/probe.ts", source: 'import { loadEnv } from "../env";\nexport const probe = loadEnv;\n' },
  { file: "lib/plan/probe.ts", source: 'import { useState } from "react";\nexport const probe = useState;\n' },
  { file: "lib/runner/probe.ts", source: 'import { getPlan } from "../db/plans";\nexport const probe = getPlan;\n' },
  { file: "lib/runner/probe.ts", source: 'import { PrismaPg } from "@prisma/adapter-pg";\nexport const probe = PrismaPg;\n' },
  { file: "lib/db/probe.ts", source: 'import { getAppContext } from "../server/app-context";\nexport const probe = getAppContext;\n' },
  { file: "lib/auth/probe.ts", source: 'import { getPlan } from "../db/plans";\nexport const probe = getPlan;\n' },
  { file: "lib/run-view/probe.ts", source: 'import { startRun } from "../runner/runs";\nexport const probe = startRun;\n' },
  { file: "lib/server/probe.ts", source: 'import { formatWhen } from "../../app/_components/format";\nexport const probe = formatWhen;\n' },
  { file: "lib/db/probe.ts", source: "export const probe = process.env.DATABASE_URL;\n" },
  { file: "lib/run-events/probe.ts", source: 'import { startRun } from "../runner/runs";\nexport const probe = startRun;\n' },
  { file: "lib/library/probe.ts", source: 'import { getPlan } from "../db/plans";\nexport const probe = getPlan;\n' },
  { file: "lib/server/probe.ts", source: 'import { main } from "../cli/main";\nexport const probe = main;\n' },
  { file: "app/probe.ts", source: 'import { undoRun } from "@/lib/runner/undo";\nexport const probe = undoRun;\n' },
  { file: "app/probe.ts", source: 'import { startRun } from "@/lib/runner/runs";\nexport const probe = startRun;\n' },
  { file: "lib/server/probe.ts", source: 'import * as z from "zod/mini";\nexport const probe = z.string();\n' },
  { file: "lib/plan/probe.ts", source: 'import * as z from "zod/mini";\nexport const probe = z.string();\n' },
];

describe("layering rules", () => {
  const eslint = new ESLint();

  it.each(forbidden)("refuses $source in $file", async ({ file, source }) => {
    const [result] = await eslint.lintText(source, { filePath: file });
    const rules = (result?.messages ?? []).map((message) => message.ruleId);
    expect(
      rules.some((rule) => rule === "import-x/no-restricted-paths" || rule === "no-restricted-imports" || rule === "no-restricted-syntax"),
    ).toBe(true);
  });

  it("allows what the layers may import", async () => {
    const [result] = await eslint.lintText('import { PlanDocument } from "../plan/schema";\nexport const probe = PlanDocument;\n', {
      filePath: "lib/runner/probe.ts",
    });
    expect(result?.messages).toEqual([]);
  });
});

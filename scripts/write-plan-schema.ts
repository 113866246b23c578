/**
 * `npm run schema`: writes public/plan.schema.json from the zod plan schema.
 * `npm run schema -- --check` exits 1 instead of writing when the file is stale.
 */
import { readFile, writeFile, mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { planJsonSchemaText } from "../lib/plan/json-schema";

const target = fileURLToPath(new URL("../public/plan.schema.json", import.meta.url));
const text = planJsonSchemaText();

if (process.argv.includes("--check")) {
  const current = await readFile(target, "utf8").catch(() => "");
  if (current !== text) {
    console.error("public/plan.schema.json is stale: run `npm run schema`.");
    process.exit(1);
  }
  console.log("public/plan.schema.json is up to date.");
} else {
  await mkdir(fileURLToPath(new URL("../public/", import.meta.url)), { recursive: true });
  await writeFile(target, text);
  console.log(`Wrote public/plan.schema.json (${text.length} bytes).`);
}

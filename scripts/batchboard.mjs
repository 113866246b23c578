#!/usr/bin/env node
// Launcher for `npx batchboard …`: runs the TypeScript CLI through tsx's loader.
import { register } from "tsx/esm/api";

register();
await import(new URL("../lib/cli/main.ts", import.meta.url).href);

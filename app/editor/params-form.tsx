"use client";

import {
  FileDeleteParams,
  FileReadParams,
  IfExists,
  SearchOutput,
  SearchParams,
  ShellParams,
  WorkspacePath,
  type OperationType,
} from "@/lib/plan/schema";
import { descriptionOf } from "@/lib/plan/mini-zod";
import { EditsField, ReadinessField, SearchCheckField } from "./compound-fields";
import { CheckField, CodeField, KeyValueField, LinesField, NumberField, SelectField, TextField } from "./inspector-fields";

/** Choices and hints come from the plan schema itself, so the form cannot drift from what validation accepts. */
const IF_EXISTS = IfExists.options;
const SEARCH_OUTPUTS = SearchOutput.options;
const PATH_HINT = descriptionOf(WorkspacePath);

/** A node's errors at a field path below it (`params.path`). */
export type ErrorsAt = (path: string) => string[] | undefined;

interface ParamsFormProps {
  type: OperationType;
  params: Record<string, unknown>;
  setParam: (key: string, value: unknown) => void;
  /** Several params changed as one step (undefined removes one). */
  setParams: (changes: Record<string, unknown>) => void;
  errorsAt: ErrorsAt;
}

/** The fields of a node's params, by operation type. */
export function ParamsForm(props: ParamsFormProps) {
  switch (props.type) {
    case "file.write":
    case "file.edit":
    case "file.delete":
    case "file.move":
      return <FileChangeFields {...props} />;
    case "file.read":
    case "search":
      return <ReadFields {...props} />;
    case "shell":
      return <ShellFields {...props} />;
  }
}

/** Writes, edits, deletes and moves: the file and what happens to it. */
function FileChangeFields({ type, params, setParam, errorsAt }: ParamsFormProps) {
  const at = (key: string) => errorsAt(`params.${key}`);
  switch (type) {
    case "file.write":
      return (
        <>
          <TextField
            label="Path"
            mono
            value={params.path}
            onChange={(value) => setParam("path", value)}
            errors={at("path")}
            hint={PATH_HINT}
          />
          <CodeField
            label="Content"
            value={params.content}
            onChange={(value) => setParam("content", value)}
            errors={at("content")}
            rows={10}
          />
          <SelectField
            label="If the file exists"
            value={params.ifExists}
            options={IF_EXISTS}
            onChange={(value) => setParam("ifExists", value)}
            errors={at("ifExists")}
          />
        </>
      );
    case "file.edit":
      return (
        <>
          <TextField
            label="Path"
            mono
            value={params.path}
            onChange={(value) => setParam("path", value)}
            errors={at("path")}
            hint={PATH_HINT}
          />
          <EditsField value={params.edits} onChange={(value) => setParam("edits", value)} errorsAt={(suffix) => at(`edits${suffix}`)} />
        </>
      );
    case "file.delete":
      return (
        <>
          <TextField label="Path" mono value={params.path} onChange={(value) => setParam("path", value)} errors={at("path")} />
          <CheckField
            label="Missing is fine"
            hint={descriptionOf(FileDeleteParams.shape.missingOk)}
            checked={params.missingOk}
            onChange={(value) => setParam("missingOk", value)}
          />
        </>
      );
    case "file.move":
      return (
        <>
          <TextField label="From" mono value={params.from} onChange={(value) => setParam("from", value)} errors={at("from")} />
          <TextField label="To" mono value={params.to} onChange={(value) => setParam("to", value)} errors={at("to")} />
          <CheckField label="Overwrite the target" checked={params.overwrite} onChange={(value) => setParam("overwrite", value)} />
        </>
      );
    default:
      return null;
  }
}

/** Reads and searches: which files, and what to bring back. */
function ReadFields({ type, params, setParam, setParams, errorsAt }: ParamsFormProps) {
  const at = (key: string) => errorsAt(`params.${key}`);
  const searchFlag = (key: "regex" | "hidden" | "noIgnore", label: string) => (
    <CheckField
      label={label}
      hint={descriptionOf(SearchParams.shape[key])}
      checked={params[key]}
      onChange={(value) => setParam(key, value)}
      errors={at(key)}
    />
  );
  switch (type) {
    case "file.read":
      return (
        <>
          <LinesField
            label="Paths (one per line)"
            rows={4}
            value={stringsIn(params.paths)}
            onChange={(paths) => setParam("paths", paths)}
            errors={at("paths") ?? itemErrors(errorsAt, "params.paths")}
          />
          <TextField
            label="Glob"
            mono
            value={params.glob}
            onChange={(value) => setParam("glob", value === "" ? undefined : value)}
            errors={at("glob")}
            placeholder="src/**/*.ts"
          />
          <NumberField
            label="Max bytes per file"
            hint={descriptionOf(FileReadParams.shape.maxBytes)}
            value={params.maxBytes}
            onChange={(value) => setParam("maxBytes", value)}
            errors={at("maxBytes")}
          />
          <NumberField
            label="From line"
            hint={descriptionOf(FileReadParams.shape.offset)}
            value={params.offset}
            onChange={(value) => setParam("offset", value)}
            errors={at("offset")}
            placeholder="1"
          />
          <NumberField
            label="Lines"
            hint={descriptionOf(FileReadParams.shape.limit)}
            value={params.limit}
            onChange={(value) => setParam("limit", value)}
            errors={at("limit")}
            placeholder="all"
          />
        </>
      );
    case "search":
      return (
        <>
          <LinesField
            label="Patterns (one per line)"
            rows={2}
            value={Array.isArray(params.patterns) ? stringsIn(params.patterns) : stringsIn([params.pattern])}
            // One pattern is stored as `pattern`, several as `patterns`: the plan stays as a person would write it.
            onChange={(patterns) =>
              setParams(patterns.length > 1 ? { pattern: undefined, patterns } : { pattern: patterns[0] ?? "", patterns: undefined })
            }
            errors={at("pattern") ?? at("patterns") ?? itemErrors(errorsAt, "params.patterns")}
            hint={descriptionOf(SearchParams.shape.patterns)}
          />
          {searchFlag("regex", "Regular expression")}
          <TextField
            label="Glob"
            mono
            value={params.glob}
            onChange={(value) => setParam("glob", value)}
            errors={at("glob")}
            hint={descriptionOf(SearchParams.shape.glob)}
          />
          <CheckField label="Case sensitive" checked={params.caseSensitive} onChange={(value) => setParam("caseSensitive", value)} />
          <NumberField
            label="Max matches"
            value={params.maxMatches}
            onChange={(value) => setParam("maxMatches", value)}
            errors={at("maxMatches")}
          />
          <SelectField
            label="Result lists"
            hint={descriptionOf(SearchParams.shape.output)}
            value={params.output}
            options={SEARCH_OUTPUTS}
            onChange={(value) => setParam("output", value)}
            errors={at("output")}
          />
          <SearchCheckField
            value={params.expect}
            onChange={(value) => setParam("expect", value)}
            errorsAt={(suffix) => at(`expect${suffix}`)}
            hint={descriptionOf(SearchParams.shape.expect)}
          />
          {searchFlag("hidden", "Hidden files too")}
          {searchFlag("noIgnore", "Ignored files too")}
        </>
      );
    default:
      return null;
  }
}

/** A command: what runs, where, with what environment, and in the background when it is ready. */
function ShellFields({ type, params, setParam, errorsAt }: ParamsFormProps) {
  const at = (key: string) => errorsAt(`params.${key}`);
  switch (type) {
    case "shell":
      return (
        <>
          <CodeField
            label="Command"
            value={params.command}
            onChange={(value) => setParam("command", value)}
            errors={at("command")}
            rows={4}
          />
          <TextField label="Working directory" mono value={params.cwd} onChange={(value) => setParam("cwd", value)} errors={at("cwd")} />
          <KeyValueField label="Environment" value={params.env} onChange={(value) => setParam("env", value)} errors={at("env")} />
          <CheckField
            label="Background"
            hint={descriptionOf(ShellParams.shape.background)}
            checked={params.background}
            onChange={(value) => setParam("background", value)}
            errors={at("background")}
          />
          {params.background === true && (
            <ReadinessField
              value={params.readyWhen}
              onChange={(value) => setParam("readyWhen", value)}
              errors={at("readyWhen") ?? errorsAt("params.readyWhen.output") ?? errorsAt("params.readyWhen.port")}
            />
          )}
          {params.background === true && (
            <CheckField
              label="Keep running after the run ends"
              hint={descriptionOf(ShellParams.shape.keepRunning)}
              checked={params.keepRunning}
              onChange={(value) => setParam("keepRunning", value)}
            />
          )}
        </>
      );
    default:
      return null;
  }
}

/** The strings of a list param; anything else is left out. */
function stringsIn(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

/** The errors on the items of a list param (`params.paths.0`, …), together. */
function itemErrors(errorsAt: ErrorsAt, list: string): string[] | undefined {
  const found: string[] = [];
  for (let index = 0; index < 100; index += 1) found.push(...(errorsAt(`${list}.${index}`) ?? []));
  return found.length ? found : undefined;
}

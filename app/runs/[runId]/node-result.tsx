import * as z from "zod";

/** The result fields the panel knows how to show; anything else is shown as JSON. */
const SearchResult = z.object({
  matches: z.array(z.object({ path: z.string(), line: z.number(), column: z.number(), text: z.string() })),
  files: z.array(z.object({ path: z.string(), count: z.number().optional() })).optional(),
  filesSearched: z.number(),
  truncated: z.boolean(),
});
const ReadResult = z.object({
  files: z.array(
    z.object({
      path: z.string(),
      content: z.string(),
      bytes: z.number(),
      truncated: z.boolean(),
      firstLine: z.number().optional(),
      lines: z.number().optional(),
    }),
  ),
  totalBytes: z.number(),
  truncated: z.boolean(),
});

/** A node's result: search matches as a table (or the matching files), reads as each file's content, anything else as JSON. */
export function NodeResult({ result }: { result: unknown }) {
  const search = SearchResult.safeParse(result);
  if (search.success && search.data.files) {
    return (
      <div data-testid="search-files">
        <p className="muted">
          {search.data.files.length} of {search.data.filesSearched} files match{search.data.truncated ? " (capped)" : ""}
        </p>
        <ul className="matching-files">
          {search.data.files.map((file) => (
            <li key={file.path}>
              <code>{file.path}</code>
              {file.count !== undefined && <span className="muted"> · {file.count} lines</span>}
            </li>
          ))}
        </ul>
      </div>
    );
  }
  if (search.success) {
    return (
      <div data-testid="search-matches">
        <p className="muted">
          {search.data.matches.length} matches in {search.data.filesSearched} files{search.data.truncated ? " (capped)" : ""}
        </p>
        <table className="table matches">
          <tbody>
            {search.data.matches.map((match, index) => (
              <tr key={index}>
                <td>
                  <code>
                    {match.path}:{match.line}:{match.column}
                  </code>
                </td>
                <td>
                  <code>{match.text}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  }
  const read = ReadResult.safeParse(result);
  if (read.success) {
    return (
      <div data-testid="read-files">
        <p className="muted">
          Read {read.data.files.length} files, {read.data.totalBytes} bytes{read.data.truncated ? " (capped)" : ""}
        </p>
        {read.data.files.map((file) => (
          <div key={file.path}>
            <p>
              <code>{file.path}</code>
              {file.firstLine !== undefined && (
                <span className="muted">
                  {" "}
                  · lines {file.firstLine}–{file.firstLine + Math.max(0, (file.lines ?? 0) - 1)}
                </span>
              )}
              {file.truncated && <span className="muted"> · cut at the byte cap</span>}
            </p>
            <pre className="result-json">{file.content}</pre>
          </div>
        ))}
      </div>
    );
  }
  if (result === undefined) return <p className="muted">No result yet.</p>;
  return <pre className="result-json">{JSON.stringify(result, null, 2)}</pre>;
}

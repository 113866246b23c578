/** A unified diff with added and removed lines coloured. */
export function DiffView({ diff }: { diff: string }) {
  return (
    <pre className="diff" data-testid="diff-view">
      {diff.split("\n").map((line, index) => {
        const kind = line.startsWith("+++") || line.startsWith("---") ? "meta" : line.startsWith("+") ? "add" : line.startsWith("-") ? "del" : line.startsWith("@@") ? "hunk" : "ctx";
        return (
          <span key={index} className={`diff-${kind}`}>
            {line}
            {"\n"}
          </span>
        );
      })}
    </pre>
  );
}

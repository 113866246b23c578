/** Shown wherever commands run or are configured while the sandbox is off (BATCHBOARD_SANDBOX=off). */
export function UncontainedNotice({ subject }: { subject: "run" | "server" }) {
  return (
    <p className="notice notice-error" role="alert" data-testid="uncontained-notice">
      {subject === "run" ? "This run's commands ran uncontained" : "Commands run uncontained on this server"} (BATCHBOARD_SANDBOX=off): with
      the server&apos;s user, files and environment. Turn the sandbox back on before sharing this server.
    </p>
  );
}

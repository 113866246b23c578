/** Runs once when the server starts: migrations and first-start data before the first request. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getAppContext } = await import("./lib/server/app-context");
  await getAppContext();
}

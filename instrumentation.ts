/** Runs once when the server starts: first-start data and crash recovery before the first request (migrations ran in scripts/start.ts). */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { stampPeerAddresses } = await import("./lib/server/peer-address");
  stampPeerAddresses();
  const { getAppContext } = await import("./lib/server/app-context");
  await getAppContext();
}

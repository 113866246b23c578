/**
 * A web server's one PostgreSQL connection that listens for the notices that
 * runs are stored (settled-notices.ts). Notices are an accelerator: while
 * the connection is down, waiters read the store on their own
 * (run-service.ts), so a notice lost then costs time, not a result.
 */
import pg from "pg";
import { SETTLED_CHANNEL, SettledNotice } from "./settled-notices";

/** Waits this long after losing the connection before connecting again, then up to the maximum. */
const RECONNECT_FIRST_MS = 200;
const RECONNECT_MAX_MS = 2_000;

export interface SettledNoticeListener {
  /** Resolves once the first attempt to listen is over, whether it worked or not: nothing sent after a working one is missed. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/** Calls `onNotice` for every run whose final state is stored from now on, reconnecting while PostgreSQL is away. */
export function listenForSettledRuns(
  url: string,
  onNotice: (notice: SettledNotice) => void,
  log: (message: string) => void = () => {},
): SettledNoticeListener {
  let current: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;
  /** Failed attempts since the last connection that listened. */
  let failures = 0;

  function reconnectLater(client: pg.Client): void {
    if (closed || current !== client) return;
    current = null;
    client.end().catch(() => undefined);
    retry = setTimeout(() => void connect(), Math.min(RECONNECT_FIRST_MS * 2 ** failures++, RECONNECT_MAX_MS));
  }

  async function connect(): Promise<void> {
    retry = null;
    if (closed) return;
    const client = new pg.Client({ connectionString: url });
    current = client;
    client.on("notification", (message) => {
      if (message.channel !== SETTLED_CHANNEL || !message.payload) return;
      const parsed = SettledNotice.safeParse(parseJson(message.payload));
      if (parsed.success) onNotice(parsed.data);
    });
    client.on("error", () => reconnectLater(client));
    client.on("end", () => reconnectLater(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${SETTLED_CHANNEL}`);
      failures = 0;
    } catch (error) {
      if (failures === 0) log(`settled notices: ${(error as Error).message}; waiters read the store until PostgreSQL answers`);
      reconnectLater(client);
    }
  }

  return {
    ready: connect(),
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      await current?.end().catch(() => undefined);
      current = null;
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

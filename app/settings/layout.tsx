import type { ReactNode } from "react";
import { UncontainedNotice } from "@/app/_components/uncontained-notice";
import { getAppContext } from "@/lib/server/app-context";
import { resolveCaller } from "@/lib/server/caller";
import { SettingsTabs } from "./settings-tabs";
import "../_components/auth.css";

export const dynamic = "force-dynamic";

export default async function SettingsLayout({ children }: { children: ReactNode }) {
  const caller = await resolveCaller();
  const { env } = await getAppContext();
  return (
    <section>
      <header className="page-head">
        <h1>Settings</h1>
        <p>
          Signed in as <strong data-testid="signed-in-as">{caller.user.email}</strong> in{" "}
          <strong data-testid="current-team">{caller.team.teamName}</strong> as <strong data-testid="current-role">{caller.role}</strong>.
        </p>
      </header>
      {env.BATCHBOARD_SANDBOX === "off" && <UncontainedNotice subject="server" />}
      <SettingsTabs />
      {children}
    </section>
  );
}

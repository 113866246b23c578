import { redirect } from "next/navigation";
import { isSetupPending } from "@/lib/db/users";
import { getAppContext } from "@/lib/server/app-context";
import { readClientAddress } from "@/lib/server/client-address";
import { setupNeedsCode } from "@/lib/server/setup-code";
import { SetupForm } from "./setup-form";
import "../_components/auth.css";

export const dynamic = "force-dynamic";
export const metadata = { title: "Set up" };

/** Shown once, on a fresh install: the first person becomes the owner of the first team. */
export default async function SetupPage() {
  const { db, defaults } = await getAppContext();
  if (!(await isSetupPending(db.client))) redirect("/sign-in");
  return (
    <section className="auth-page">
      <header className="page-head">
        <h1>Welcome to Batchboard</h1>
        <p>Create the owner account. You can invite your team afterwards from Settings.</p>
      </header>
      <SetupForm teamName={defaults.team.name} needsCode={setupNeedsCode(await readClientAddress())} />
    </section>
  );
}

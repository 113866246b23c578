import { redirect } from "next/navigation";
import { isSetupPending } from "@/lib/db/users";
import { getAppContext } from "@/lib/server/app-context";
import { findSessionCaller } from "@/lib/server/caller";
import { SignInForm } from "./sign-in-form";
import "../_components/auth.css";

export const dynamic = "force-dynamic";
export const metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { db } = await getAppContext();
  if (await isSetupPending(db.client)) redirect("/setup");
  if (await findSessionCaller()) redirect("/library");
  const { next } = await searchParams;
  return (
    <section className="auth-page">
      <header className="page-head">
        <h1>Sign in</h1>
        <p>Use the email and password you set up, or that you chose when you accepted an invitation.</p>
      </header>
      <SignInForm next={next} />
    </section>
  );
}

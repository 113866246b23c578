/** Downloads one version (`?version=N`, newest by default) as the plan JSON file import accepts. */
import { DomainError } from "@/lib/db/errors";
import { exportVersion } from "@/lib/server/plan-library";
import { getAppContext } from "@/lib/server/app-context";
import { resolveCaller } from "@/lib/server/caller";
import { roleAllows } from "@/lib/server/permissions";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ planId: string }> }) {
  const { planId } = await params;
  const caller = await resolveCaller();
  if (!roleAllows(caller.role, "plan:read")) return Response.json({ code: "forbidden" }, { status: 403 });
  const raw = new URL(request.url).searchParams.get("version");
  const number = raw === null ? undefined : Number(raw);
  if (number !== undefined && !(Number.isInteger(number) && number >= 1)) {
    return Response.json({ code: "validation", message: "version must be a positive integer" }, { status: 400 });
  }
  const { db } = await getAppContext();
  try {
    const file = await exportVersion(db.client, caller.teamId, planId, number);
    return new Response(file.text, {
      headers: {
        "content-type": "application/json; charset=utf-8",
        "content-disposition": `attachment; filename="${file.fileName}"`,
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    if (error instanceof DomainError && error.code === "not_found")
      return Response.json({ code: "not_found", message: error.message }, { status: 404 });
    throw error;
  }
}

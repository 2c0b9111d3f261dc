// GET /[org]/specs/[specId]/export — the spec as Kiro-layout Markdown: <slug>.zip, or one file with ?file=requirements.md
import { AppError } from "@/lib/api/app-error";
import { routeHandler } from "@/lib/api/route-handler";
import { getRequestUserId } from "@/lib/auth/request-user";
import { db } from "@/lib/db/client";
import { getActor } from "@/lib/orgs/get-actor";
import { exportSpec, exportSpecFileSchema } from "@/lib/specs/export-spec";
import { packSpecZip } from "@/lib/specs/markdown/pack-spec-zip";

export const dynamic = "force-dynamic";

export const GET = routeHandler(
  async (request: Request, context: { params: Promise<{ org: string; specId: string }> }) => {
    const { org, specId } = await context.params;
    const userId = await getRequestUserId(db(), request);
    const { actor } = await getActor(db(), { userId, orgSlug: org });
    const { file } = exportSpecFileSchema.parse(
      Object.fromEntries(new URL(request.url).searchParams),
    );
    const { folder, files } = await exportSpec(db(), { actor, specId });
    if (file) {
      const text = files[file];
      if (text === undefined) throw new AppError("NOT_FOUND", `The spec has no ${file} yet.`);
      return new Response(text, {
        headers: {
          "Content-Type": "text/markdown; charset=utf-8",
          "Content-Disposition": `inline; filename="${file}"`,
          "Cache-Control": "no-store",
        },
      });
    }
    if (Object.keys(files).length === 0) {
      throw new AppError("CONFLICT", "Nothing to export yet: the spec has no requirements.");
    }
    return new Response(packSpecZip(folder, files), {
      headers: {
        "Content-Type": "application/zip",
        "Content-Disposition": `attachment; filename="${folder}.zip"`,
        "Cache-Control": "no-store",
      },
    });
  },
);

"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { toAppError } from "@/lib/api/to-app-error";
import { getCurrentUserId } from "@/lib/auth/current-user";
import { db } from "@/lib/db/client";
import { acceptInvitation } from "@/lib/orgs/accept-invitation";

export interface AcceptInviteState {
  message?: string;
}

const acceptInviteSchema = z.object({
  token: z.string().min(1, "This invite link is incomplete.").max(200),
});

// POST (form) — join the invitation's organization, then open its projects.
export async function acceptInviteAction(
  _prev: AcceptInviteState,
  form: FormData,
): Promise<AcceptInviteState> {
  let slug: string;
  try {
    const userId = await getCurrentUserId();
    const { token } = acceptInviteSchema.parse({ token: form.get("token") });
    const org = await acceptInvitation(db(), { userId, token });
    slug = org.slug;
  } catch (thrown) {
    return { message: toAppError(thrown).message };
  }
  // Outside the try: redirect() throws to navigate.
  redirect(`/${slug}/projects`);
}

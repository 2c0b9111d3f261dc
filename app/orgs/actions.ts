"use server";

import { redirect } from "next/navigation";
import type { FieldErrors } from "@/lib/api/app-error";
import { toAppError } from "@/lib/api/to-app-error";
import { getCurrentUserId } from "@/lib/auth/current-user";
import { db } from "@/lib/db/client";
import { createOrganization, createOrganizationSchema } from "@/lib/orgs/create-organization";

export interface CreateOrgFormState {
  message?: string;
  fields?: FieldErrors;
  values?: { name?: string };
}

// POST (form) — create an organization owned by the signed-in user, then open it.
export async function createOrganizationAction(
  _prev: CreateOrgFormState,
  form: FormData,
): Promise<CreateOrgFormState> {
  const values = { name: String(form.get("name") ?? "") };
  let slug: string;
  try {
    const userId = await getCurrentUserId();
    const input = createOrganizationSchema.parse(values);
    const org = await createOrganization(db(), { userId, input });
    slug = org.slug;
  } catch (thrown) {
    const error = toAppError(thrown);
    return { message: error.message, fields: error.details?.fields, values };
  }
  // Outside the try: redirect() throws to navigate.
  redirect(`/${slug}/projects`);
}

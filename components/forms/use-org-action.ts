"use client";

import { useParams, useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { orgAction } from "@/app/(app)/[org]/_actions/org-action";
import type { FieldErrors } from "@/lib/api/app-error";
import type { OrgActionInput, OrgActionName, OrgActionOutput } from "@/lib/api/org-action-handlers";

/**
 * Runs a named organization action from a client component. Field errors are
 * kept for the form; any other refusal is shown as a toast that says why.
 */
export function useOrgAction<K extends OrgActionName>(name: K) {
  const params = useParams<{ org: string }>();
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);

  function run(input: OrgActionInput<K>, onSuccess?: (data: OrgActionOutput<K>) => void) {
    startTransition(async () => {
      const result = await orgAction(params.org, name, input);
      if (result.ok) {
        setFieldErrors({});
        setFormError(null);
        onSuccess?.(result.data);
        return;
      }
      const fields = result.error.fields ?? {};
      setFieldErrors(fields);
      if (Object.keys(fields).length === 0) {
        setFormError(result.error.message);
        const upgradeUrl = result.error.upgradeUrl;
        toast.error(result.error.message, {
          // A plan limit or an overdue payment: one click to the billing page that lifts it.
          action: upgradeUrl
            ? { label: "Go to billing", onClick: () => router.push(new URL(upgradeUrl).pathname) }
            : undefined,
        });
      } else {
        setFormError(null);
      }
    });
  }

  return { run, pending, fieldErrors, formError };
}

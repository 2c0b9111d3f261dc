import { ArrowLeft } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { CreateOrgForm } from "@/components/orgs/create-org-form";
import { Logo } from "@/components/shell/logo";
import { findCurrentUserId } from "@/lib/auth/current-user";

export const metadata: Metadata = { title: "New organization" };

// GET /orgs/new — name a new organization (signed-in users only).
export default async function NewOrganizationPage() {
  if (!(await findCurrentUserId())) redirect(`/sign-in?next=${encodeURIComponent("/orgs/new")}`);
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center gap-6 bg-muted/40 p-6">
      <Logo />
      <div className="grid w-full max-w-sm gap-5 rounded-xl border bg-card p-6 shadow-sm">
        <div className="grid gap-1">
          <h1 className="font-semibold text-lg">New organization</h1>
          <p className="text-muted-foreground text-sm">
            An organization holds projects, tickets and members, with its own plan and settings.
          </p>
        </div>
        <CreateOrgForm />
      </div>
      <Link
        href="/"
        className="flex items-center gap-1 rounded-sm text-muted-foreground text-sm outline-none hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring"
      >
        <ArrowLeft className="size-3.5" aria-hidden="true" /> Back
      </Link>
    </main>
  );
}

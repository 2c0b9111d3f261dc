import type { Metadata } from "next";
import Link from "next/link";
import type * as React from "react";
import { AcceptInviteForm } from "@/components/orgs/accept-invite-form";
import { Logo } from "@/components/shell/logo";
import { Button } from "@/components/ui/button";
import { findCurrentUserId } from "@/lib/auth/current-user";
import { db } from "@/lib/db/client";
import { findInvitation } from "@/lib/orgs/find-invitation";

// An invite link is a secret: keep it out of search engines.
export const metadata: Metadata = { title: "Join an organization", robots: { index: false } };

function CenteredCard({ children }: { children: React.ReactNode }) {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center gap-6 bg-muted/40 p-6">
      <Logo />
      <div className="grid w-full max-w-sm gap-5 rounded-xl border bg-card p-6 shadow-sm">
        {children}
      </div>
    </main>
  );
}

// GET /invite/[token] — who invites you where; join, or sign in / sign up first.
export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const [invitation, userId] = await Promise.all([
    findInvitation(db(), token),
    findCurrentUserId(),
  ]);

  if (!invitation) {
    return (
      <CenteredCard>
        <div className="grid gap-1">
          <h1 className="font-semibold text-lg">This invite link is not valid any more</h1>
          <p className="text-muted-foreground text-sm">
            It has expired, was already used, or was revoked. Ask the person who sent it for a new
            one.
          </p>
        </div>
        <Button asChild variant="outline">
          <Link href="/">{userId ? "Back to your workspace" : "Sign in"}</Link>
        </Button>
      </CenteredCard>
    );
  }

  const role = invitation.role.toLowerCase();
  const next = encodeURIComponent(`/invite/${token}`);
  return (
    <CenteredCard>
      <div className="grid gap-1">
        <h1 className="font-semibold text-lg">Join {invitation.org.name}</h1>
        <p className="text-muted-foreground text-sm">
          You have been invited to {invitation.org.name} on Trellis as{" "}
          {/^[aeiou]/.test(role) ? "an" : "a"} {role}.
        </p>
      </div>
      {userId ? (
        <AcceptInviteForm token={token} label={`Join ${invitation.org.name} as ${role}`} />
      ) : (
        <div className="grid gap-2">
          <Button asChild>
            <Link href={`/sign-in?next=${next}`}>Sign in to join</Link>
          </Button>
          <Button asChild variant="outline">
            <Link href={`/sign-up?next=${next}`}>Create an account</Link>
          </Button>
        </div>
      )}
    </CenteredCard>
  );
}

import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthForm } from "@/components/auth/auth-form";
import { Button } from "@/components/ui/button";
import { findCurrentUserId } from "@/lib/auth/current-user";
import { githubAuthEnabled } from "@/lib/env";
import { signInAction, signInWithGitHubAction } from "../actions";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string }>;
}) {
  const { next } = await searchParams;
  if (await findCurrentUserId()) redirect(next ?? "/");
  return (
    <div className="grid gap-5">
      <div className="grid gap-1">
        <h1 className="font-semibold text-lg">Sign in to Trellis</h1>
        <p className="text-muted-foreground text-sm">Welcome back.</p>
      </div>
      {githubAuthEnabled() ? (
        <form action={signInWithGitHubAction}>
          <input type="hidden" name="redirectTo" value={next ?? "/"} />
          <Button type="submit" variant="outline" className="w-full">
            Continue with GitHub
          </Button>
        </form>
      ) : null}
      <AuthForm mode="sign-in" action={signInAction} redirectTo={next} />
    </div>
  );
}

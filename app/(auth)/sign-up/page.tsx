import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthForm } from "@/components/auth/auth-form";
import { findCurrentUserId } from "@/lib/auth/current-user";
import { signUpAction } from "../actions";

export const metadata: Metadata = { title: "Create your account" };

export default async function SignUpPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string }>;
}) {
  const { next } = await searchParams;
  if (await findCurrentUserId()) redirect(next ?? "/");
  return (
    <div className="grid gap-5">
      <div className="grid gap-1">
        <h1 className="font-semibold text-lg">Create your account</h1>
        <p className="text-muted-foreground text-sm">You get a personal workspace to start in.</p>
      </div>
      <AuthForm mode="sign-up" action={signUpAction} redirectTo={next} />
    </div>
  );
}

"use server";

import { redirect } from "next/navigation";
import { AuthError } from "next-auth";
import type { FieldErrors } from "@/lib/api/app-error";
import { toAppError } from "@/lib/api/to-app-error";
import { signIn, signOut } from "@/lib/auth/auth";
import { signUp } from "@/lib/auth/sign-up";
import { db } from "@/lib/db/client";

export interface AuthFormState {
  message?: string;
  fields?: FieldErrors;
  values?: { name?: string; email?: string };
}

function safeRedirectTarget(value: FormDataEntryValue | null): string {
  const target = typeof value === "string" ? value : "";
  // Only same-site paths: never an open redirect.
  return target.startsWith("/") && !target.startsWith("//") ? target : "/";
}

// POST (form) — create an account and its personal organization, then sign in.
export async function signUpAction(_prev: AuthFormState, form: FormData): Promise<AuthFormState> {
  const values = { name: String(form.get("name") ?? ""), email: String(form.get("email") ?? "") };
  const password = String(form.get("password") ?? "");
  try {
    await signUp(db(), { ...values, password });
  } catch (thrown) {
    const error = toAppError(thrown);
    return { message: error.message, fields: error.details?.fields, values };
  }
  await signIn("credentials", {
    email: values.email,
    password,
    redirectTo: safeRedirectTarget(form.get("redirectTo")),
  });
  return {};
}

// POST (form) — sign in with email and password.
export async function signInAction(_prev: AuthFormState, form: FormData): Promise<AuthFormState> {
  const values = { email: String(form.get("email") ?? "") };
  try {
    await signIn("credentials", {
      email: values.email,
      password: String(form.get("password") ?? ""),
      redirectTo: safeRedirectTarget(form.get("redirectTo")),
    });
  } catch (error) {
    // signIn redirects by throwing; only Auth.js errors are ours to show.
    if (error instanceof AuthError) {
      return { message: "Email or password is incorrect.", values };
    }
    throw error;
  }
  return {};
}

export async function signInWithGitHubAction(form: FormData): Promise<void> {
  await signIn("github", { redirectTo: safeRedirectTarget(form.get("redirectTo")) });
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirect: false });
  redirect("/sign-in");
}

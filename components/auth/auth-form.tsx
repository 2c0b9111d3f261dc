"use client";

import Link from "next/link";
import { useActionState } from "react";
import type { AuthFormState } from "@/app/(auth)/actions";
import { FormError } from "@/components/forms/form-error";
import { Button } from "@/components/ui/button";
import { FormField, fieldControlProps } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";

interface AuthFormProps {
  mode: "sign-in" | "sign-up";
  action: (state: AuthFormState, form: FormData) => Promise<AuthFormState>;
  redirectTo?: string;
}

/** Email and password form for sign-in and sign-up; errors appear next to their field. */
export function AuthForm({ mode, action, redirectTo }: AuthFormProps) {
  const [state, formAction, pending] = useActionState(action, {});
  const fields = state.fields ?? {};
  const signUp = mode === "sign-up";
  const formMessage = state.message && !Object.keys(fields).length ? state.message : null;
  return (
    <form action={formAction} className="grid gap-4" noValidate>
      <input type="hidden" name="redirectTo" value={redirectTo ?? "/"} />
      {signUp ? (
        <FormField id="name" label="Name" error={fields.name}>
          <Input
            {...fieldControlProps("name", { error: fields.name })}
            name="name"
            autoComplete="name"
            defaultValue={state.values?.name}
          />
        </FormField>
      ) : null}
      <FormField id="email" label="Email" error={fields.email}>
        <Input
          {...fieldControlProps("email", { error: fields.email })}
          name="email"
          type="email"
          autoComplete="email"
          required
          defaultValue={state.values?.email}
        />
      </FormField>
      <FormField
        id="password"
        label="Password"
        error={fields.password}
        hint={signUp ? "At least 8 characters." : undefined}
      >
        <Input
          {...fieldControlProps("password", {
            error: fields.password,
            hint: signUp ? "x" : undefined,
          })}
          name="password"
          type="password"
          autoComplete={signUp ? "new-password" : "current-password"}
          required
        />
      </FormField>
      <FormError message={formMessage} />
      <Button type="submit" disabled={pending}>
        {pending
          ? signUp
            ? "Creating account…"
            : "Signing in…"
          : signUp
            ? "Create account"
            : "Sign in"}
      </Button>
      <p className="text-center text-muted-foreground text-sm">
        {signUp ? "Already have an account? " : "New to Trellis? "}
        <Link
          className="text-foreground underline underline-offset-4"
          href={`${signUp ? "/sign-in" : "/sign-up"}${redirectTo && redirectTo !== "/" ? `?next=${encodeURIComponent(redirectTo)}` : ""}`}
        >
          {signUp ? "Sign in" : "Create an account"}
        </Link>
      </p>
    </form>
  );
}

import type * as React from "react";
import { Label } from "@/components/ui/label";
import { cn } from "@/lib/utils/cn";

export type FormFieldProps = {
  /** The control's id; the label points at it, hint and error ids derive from it. */
  id: string;
  label: React.ReactNode;
  /** Rendered in `#${id}-error`; when set, pass `aria-invalid` to the control. */
  error?: string | null;
  /** Help text rendered in `#${id}-hint`. */
  hint?: React.ReactNode;
  /** Shows a "(required)" marker; still set `required` on the control itself. */
  required?: boolean;
  className?: string;
  /** The control. Spread `fieldControlProps(...)` on it to wire up the aria attributes. */
  children: React.ReactNode;
};

/** The ids of the hint and error elements a `FormField` renders. */
export function fieldDescribedBy(
  id: string,
  opts: { error?: string | null; hint?: React.ReactNode },
): string | undefined {
  const ids = [opts.hint ? `${id}-hint` : null, opts.error ? `${id}-error` : null].filter(Boolean);
  return ids.length > 0 ? ids.join(" ") : undefined;
}

/**
 * Props for the control inside a `FormField`:
 * `<Input {...fieldControlProps("name", { error, hint })} />` sets `id`,
 * `aria-invalid` and `aria-describedby`.
 */
export function fieldControlProps(
  id: string,
  opts: { error?: string | null; hint?: React.ReactNode } = {},
): { id: string; "aria-invalid": true | undefined; "aria-describedby": string | undefined } {
  return {
    id,
    "aria-invalid": opts.error ? true : undefined,
    "aria-describedby": fieldDescribedBy(id, opts),
  };
}

/**
 * Label + control + hint + error. The caller passes `id`, `aria-invalid` and
 * `aria-describedby` to the control (see `fieldControlProps`).
 */
export function FormField({
  id,
  label,
  error,
  hint,
  required,
  className,
  children,
}: FormFieldProps) {
  return (
    <div data-slot="form-field" className={cn("grid gap-1.5", className)}>
      <Label htmlFor={id}>
        {label}
        {required ? (
          // The control carries `required`; this marker is for sighted users.
          <span aria-hidden="true" className="font-normal text-muted-foreground">
            (required)
          </span>
        ) : null}
      </Label>
      {children}
      {hint ? (
        <p id={`${id}-hint`} className="text-muted-foreground text-xs">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} role="alert" className="whitespace-pre-line text-destructive text-xs">
          {error}
        </p>
      ) : null}
    </div>
  );
}

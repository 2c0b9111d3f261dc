"use client";

import { Check, Copy } from "lucide-react";
import { useRef, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { FormField, fieldControlProps } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";

/** A read-only secret (an API key, a signing secret) with a copy button and a selection fallback. */
export function CopySecret({
  id,
  label,
  hint,
  value,
  what,
}: {
  id: string;
  label: string;
  hint: string;
  value: string;
  /** Named in the toast: "API key copied". */
  what: string;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState(false);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
      toast.success(`${what} copied`);
    } catch {
      // The clipboard API needs a secure context; fall back to a selection the user can copy.
      input.current?.select();
      toast.info("Press Ctrl+C (⌘C) to copy the selection");
    }
  }

  return (
    <FormField id={id} label={label} hint={hint}>
      <div className="flex gap-2">
        <Input
          {...fieldControlProps(id, { hint })}
          ref={input}
          value={value}
          readOnly
          onFocus={(e) => e.currentTarget.select()}
          className="font-mono text-xs"
          spellCheck={false}
        />
        <Button variant="outline" onClick={copy} aria-label={`Copy ${what}`}>
          {copied ? <Check aria-hidden="true" /> : <Copy aria-hidden="true" />}
          {copied ? "Copied" : "Copy"}
        </Button>
      </div>
    </FormField>
  );
}

"use client";

import { Check, Copy } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";

/** A small button that copies `value` (a branch name, a command) and says so. */
export function CopyButton({
  value,
  what,
  className,
}: {
  value: string;
  /** Named in the label and the toast: "Copy branch name", "Branch name copied". */
  what: string;
  className?: string;
}) {
  const [copied, setCopied] = useState(false);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
      toast.success(`${what[0]?.toUpperCase()}${what.slice(1)} copied`);
    } catch {
      // The clipboard API needs a secure context (https or localhost).
      toast.info(`Copying needs https; select the ${what} and press Ctrl+C (⌘C)`);
    }
  }

  return (
    <Button
      type="button"
      size="sm"
      variant="ghost"
      onClick={copy}
      aria-label={`Copy ${what}`}
      title={`Copy ${what}`}
      className={className}
    >
      {copied ? <Check aria-hidden="true" /> : <Copy aria-hidden="true" />}
    </Button>
  );
}

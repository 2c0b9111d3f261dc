"use client";

import { Button } from "@/components/ui/button";

export default function OrgError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <div
      role="alert"
      className="mx-auto flex max-w-md flex-col items-center gap-3 p-12 text-center"
    >
      <h1 className="font-semibold">This page could not load</h1>
      <p className="text-muted-foreground text-sm">
        Something went wrong on our side. Try again; if it keeps happening, check the server logs
        {error.digest ? (
          <>
            {" "}
            (reference <code className="font-mono">{error.digest}</code>)
          </>
        ) : null}
        .
      </p>
      <Button onClick={reset}>Try again</Button>
    </div>
  );
}

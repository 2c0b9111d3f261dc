import Link from "next/link";
import { Button } from "@/components/ui/button";

export default function NotFound() {
  return (
    <main className="mx-auto flex min-h-dvh max-w-md flex-col items-center justify-center gap-3 p-6 text-center">
      <p className="font-mono text-muted-foreground text-xs">404</p>
      <h1 className="font-semibold text-lg">Not found</h1>
      <p className="text-muted-foreground text-sm">
        This page does not exist, or it belongs to an organization you are not a member of.
      </p>
      <Button asChild variant="outline">
        <Link href="/">Back to your workspace</Link>
      </Button>
    </main>
  );
}

"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import type * as React from "react";

/**
 * A link that fetches its page ahead when pointed at or focused, not whenever it is on screen.
 * For links that sit on every live page (sidebar, breadcrumbs, filters): each realtime refresh
 * (components/realtime) invalidates the router's cache, and every link on screen that
 * prefetches would fetch its page again, competing with the refresh itself.
 */
export function IntentLink({
  href,
  onPointerEnter,
  onFocus,
  ...props
}: Omit<React.ComponentProps<typeof Link>, "href" | "prefetch"> & { href: string }) {
  const router = useRouter();
  return (
    <Link
      href={href}
      prefetch={false}
      onPointerEnter={(event) => {
        router.prefetch(href);
        onPointerEnter?.(event);
      }}
      onFocus={(event) => {
        router.prefetch(href);
        onFocus?.(event);
      }}
      {...props}
    />
  );
}

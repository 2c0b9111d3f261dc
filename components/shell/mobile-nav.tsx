"use client";

import { Menu } from "lucide-react";
import { usePathname } from "next/navigation";
import type * as React from "react";
import { useEffect } from "react";
import { Button } from "@/components/ui/button";
import { Sheet, SheetContent, SheetTitle, SheetTrigger } from "@/components/ui/sheet";
import { Sidebar, type SidebarProps } from "./sidebar";
import { useShellStore } from "./ui-store";

/** Tailwind's `md`: from here up the sidebar sits beside the page instead of in a sheet. */
const DESKTOP = "(min-width: 48rem)";

/**
 * Below `md`, the sidebar lives in a sheet from the left, opened by {@link MobileNavButton} in
 * each page's top bar. Wraps the page so that button is the dialog's trigger: focus returns to
 * it on close. Closes on navigation and when the window grows past `md`.
 */
export function MobileNav({
  sidebar,
  children,
}: {
  sidebar: SidebarProps;
  children: React.ReactNode;
}) {
  const open = useShellStore((s) => s.mobileNavOpen);
  const setOpen = useShellStore((s) => s.setMobileNavOpen);
  const pathname = usePathname();

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on each navigation.
  useEffect(() => setOpen(false), [pathname, setOpen]);
  useEffect(() => {
    const query = window.matchMedia(DESKTOP);
    const close = () => {
      if (query.matches) setOpen(false);
    };
    query.addEventListener("change", close);
    return () => query.removeEventListener("change", close);
  }, [setOpen]);

  return (
    <Sheet open={open} onOpenChange={setOpen}>
      {children}
      <SheetContent side="left" aria-describedby={undefined} className="w-64 sm:max-w-64">
        <SheetTitle className="sr-only">Navigation</SheetTitle>
        <Sidebar {...sidebar} variant="sheet" onNavigate={() => setOpen(false)} />
      </SheetContent>
    </Sheet>
  );
}

/** The top bar's menu button that opens the navigation sheet; hidden from `md` up. */
export function MobileNavButton() {
  return (
    <SheetTrigger asChild>
      <Button variant="ghost" size="icon" className="-ml-2 md:hidden" aria-label="Open navigation">
        <Menu aria-hidden="true" />
      </Button>
    </SheetTrigger>
  );
}

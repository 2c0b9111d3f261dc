"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { navItems } from "./nav-items";
import { useShellStore } from "./ui-store";

function typingInField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

/**
 * Keyboard paths that work on every page: ⌘K/Ctrl+K palette, C new ticket,
 * G then a key to go to a page, / to search in the page.
 */
export function useGlobalShortcuts(orgSlug: string) {
  const router = useRouter();
  const setPaletteOpen = useShellStore((s) => s.setPaletteOpen);

  useEffect(() => {
    let awaitingGo = false;
    let goTimer: ReturnType<typeof setTimeout> | undefined;

    function onKeyDown(event: KeyboardEvent) {
      if ((event.metaKey || event.ctrlKey) && event.key.toLowerCase() === "k") {
        event.preventDefault();
        setPaletteOpen(!useShellStore.getState().paletteOpen);
        return;
      }
      if (event.metaKey || event.ctrlKey || event.altKey || typingInField(event.target)) return;
      if (document.querySelector("[role=dialog]")) return;
      const key = event.key.toLowerCase();
      if (awaitingGo) {
        awaitingGo = false;
        clearTimeout(goTimer);
        const item = navItems.find((n) => n.goKey === key);
        if (item) {
          event.preventDefault();
          router.push(`/${orgSlug}/${item.segment}`);
        }
        return;
      }
      if (key === "g") {
        awaitingGo = true;
        goTimer = setTimeout(() => {
          awaitingGo = false;
        }, 1200);
      } else if (key === "c") {
        event.preventDefault();
        router.push(`/${orgSlug}/tickets/new`);
      } else if (key === "/") {
        const search = document.querySelector<HTMLElement>("[data-page-search]");
        if (search) {
          event.preventDefault();
          search.focus();
        }
      }
    }

    window.addEventListener("keydown", onKeyDown);
    return () => {
      window.removeEventListener("keydown", onKeyDown);
      clearTimeout(goTimer);
    };
  }, [orgSlug, router, setPaletteOpen]);
}

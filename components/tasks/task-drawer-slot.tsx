import type * as React from "react";

/**
 * The layout of a page that opens tasks in the drawer: the page, and its `@modal` slot where
 * the intercepted task route (`@modal/(..)tasks/[taskId]`) draws the drawer over it.
 */
export function TaskDrawerSlotLayout({
  children,
  modal,
}: {
  children: React.ReactNode;
  modal: React.ReactNode;
}) {
  return (
    <>
      {children}
      {modal}
    </>
  );
}

/** The `@modal` slot when no task is open (and on a full load of the page). */
export function NoTaskDrawer() {
  return null;
}

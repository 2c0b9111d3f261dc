"use client";

import { create } from "zustand";
import { persist } from "zustand/middleware";

interface ShellState {
  sidebarCollapsed: boolean;
  paletteOpen: boolean;
  /** The sidebar as a sheet, below the `md` breakpoint. */
  mobileNavOpen: boolean;
  /** The project last opened, whose specs the sidebar lists on pages of no project (board…). */
  lastProjectId: string | null;
  toggleSidebar: () => void;
  setPaletteOpen: (open: boolean) => void;
  setMobileNavOpen: (open: boolean) => void;
  setLastProjectId: (id: string) => void;
}

/** Ephemeral shell state; only the sidebar's collapse survives a reload. */
export const useShellStore = create<ShellState>()(
  persist(
    (set) => ({
      sidebarCollapsed: false,
      paletteOpen: false,
      mobileNavOpen: false,
      lastProjectId: null,
      toggleSidebar: () => set((s) => ({ sidebarCollapsed: !s.sidebarCollapsed })),
      setPaletteOpen: (paletteOpen) => set({ paletteOpen }),
      setMobileNavOpen: (mobileNavOpen) => set({ mobileNavOpen }),
      setLastProjectId: (lastProjectId) => set({ lastProjectId }),
    }),
    { name: "trellis-shell", partialize: (s) => ({ sidebarCollapsed: s.sidebarCollapsed }) },
  ),
);

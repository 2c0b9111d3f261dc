"use client";

import { useEffect } from "react";
import { create } from "zustand";
import type { SpecPhase } from "@/lib/generated/prisma/enums";

/** The phase the page in view waits on: the palette offers "Approve …" for it. */
export interface PaletteApproval {
  specId: string;
  phase: SpecPhase;
  /** What is being approved, e.g. "the design of Export the board". */
  label: string;
}

interface PaletteContextState {
  approval: PaletteApproval | null;
  setApproval: (approval: PaletteApproval | null) => void;
}

/** Ephemeral: what the current page adds to the command palette. */
export const usePaletteContext = create<PaletteContextState>()((set) => ({
  approval: null,
  setApproval: (approval) => set({ approval }),
}));

/** A page registers the phase in review while it is shown (and the viewer may approve it). */
export function useRegisterPaletteApproval(approval: PaletteApproval | null): void {
  const setApproval = usePaletteContext((s) => s.setApproval);
  const specId = approval?.specId;
  const phase = approval?.phase;
  const label = approval?.label;
  useEffect(() => {
    if (!specId || !phase || !label) return;
    setApproval({ specId, phase, label });
    return () => setApproval(null);
  }, [specId, phase, label, setApproval]);
}

/** For server-rendered pages: renders nothing, registers the approval while mounted. */
export function PaletteApprovalAction(props: { approval: PaletteApproval | null }) {
  useRegisterPaletteApproval(props.approval);
  return null;
}

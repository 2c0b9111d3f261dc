"use client";

import {
  ArrowDown,
  ArrowDownToLine,
  ArrowUp,
  ArrowUpToLine,
  ExternalLink,
  MoreHorizontal,
} from "lucide-react";
import Link from "next/link";
import { useParams } from "next/navigation";
import { useEffect, useState } from "react";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import type { TaskStatus } from "@/lib/generated/prisma/enums";
import type { BoardTask } from "@/lib/tasks/list-board-tasks";
import { manualMoveLabels, manualMoveTargets, taskStatusLabels } from "@/lib/tasks/manual-move";

export type ReorderPlace = "top" | "up" | "down" | "bottom";

/** What a card's menu can do; the board supplies them (stable across renders). */
export interface CardMenuActions {
  move(taskId: string, to: TaskStatus): void;
  reorder(taskId: string, place: ReorderPlace): void;
  /** Where the task sits in its column, to disable moves past an end. */
  position(taskId: string): { index: number; count: number };
  /** Called before a menu move so focus can follow the card to its new place. */
  willMove(taskId: string): void;
}

const triggerClass =
  "absolute top-1.5 right-1.5 z-10 flex size-6 items-center justify-center rounded text-muted-foreground outline-none hover:bg-accent hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring data-[state=open]:bg-accent";

/**
 * The keyboard path for every drag: "Move to …" (only the moves the state
 * machine allows) and Move to top / up / down / to bottom. The Radix menu is
 * mounted on first use, so a thousand cards cost a thousand plain buttons.
 */
export function CardMenu({ task, actions }: { task: BoardTask; actions: CardMenuActions }) {
  const [mounted, setMounted] = useState(false);
  const [open, setOpen] = useState(false);
  const [byKeyboard, setByKeyboard] = useState(false);
  const label = `Actions for task ${task.key}`;

  if (!mounted) {
    const openMenu = (keyboard: boolean) => {
      setByKeyboard(keyboard);
      setMounted(true);
      setOpen(true);
    };
    return (
      <button
        type="button"
        aria-label={label}
        aria-haspopup="menu"
        aria-expanded={false}
        className={triggerClass}
        onPointerDown={(e) => {
          if (e.button === 0) {
            e.preventDefault();
            openMenu(false);
          }
        }}
        onKeyDown={(e) => {
          if (e.key === "Enter" || e.key === " " || e.key === "ArrowDown") {
            e.preventDefault();
            openMenu(true);
          }
        }}
      >
        <MoreHorizontal className="size-4" aria-hidden="true" />
      </button>
    );
  }
  return (
    <MountedCardMenu
      task={task}
      actions={actions}
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) setByKeyboard(false);
      }}
      label={label}
      focusFirstItem={byKeyboard}
    />
  );
}

function MountedCardMenu({
  task,
  actions,
  open,
  onOpenChange,
  label,
  focusFirstItem,
}: {
  task: BoardTask;
  actions: CardMenuActions;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  label: string;
  /** The first opening came from the keyboard, before Radix was listening: start on the first item. */
  focusFirstItem: boolean;
}) {
  const { org } = useParams<{ org: string }>();
  const [moved, setMoved] = useState(false);
  const targets = manualMoveTargets(task.status);
  // Radix starts listening for keys only once mounted, after the key that opened the menu:
  // start a keyboard opening on the first item, as Radix itself would.
  useEffect(() => {
    if (!open || !focusFirstItem) return;
    const frame = requestAnimationFrame(() => {
      document
        .querySelector(`[data-card-menu="${task.id}"]`)
        ?.querySelector<HTMLElement>("[role=menuitem]:not([data-disabled])")
        ?.focus();
    });
    return () => cancelAnimationFrame(frame);
  }, [open, focusFirstItem, task.id]);
  const { index, count } = open ? actions.position(task.id) : { index: 0, count: 1 };
  const first = index <= 0;
  const last = index >= count - 1;
  return (
    <DropdownMenu open={open} onOpenChange={onOpenChange} modal={false}>
      <DropdownMenuTrigger aria-label={label} className={triggerClass}>
        <MoreHorizontal className="size-4" aria-hidden="true" />
      </DropdownMenuTrigger>
      <DropdownMenuContent
        data-card-menu={task.id}
        align="end"
        className="w-56"
        onCloseAutoFocus={(event) => {
          // After a move the card re-renders elsewhere; the board puts focus back on it.
          if (moved) {
            event.preventDefault();
            setMoved(false);
          }
        }}
      >
        <DropdownMenuItem asChild>
          <Link href={`/${org}/tasks/${task.id}`}>
            <ExternalLink aria-hidden="true" /> Open task
          </Link>
        </DropdownMenuItem>
        <DropdownMenuSeparator />
        <DropdownMenuLabel className="text-muted-foreground text-xs">Status</DropdownMenuLabel>
        {targets.length === 0 ? (
          <DropdownMenuItem disabled>No status change allowed</DropdownMenuItem>
        ) : (
          targets.map((t) => (
            <DropdownMenuItem
              key={t.to}
              onSelect={() => {
                setMoved(true);
                actions.willMove(task.id);
                actions.move(task.id, t.to);
              }}
            >
              Move to {taskStatusLabels[t.to]}
              <span className="ml-auto text-muted-foreground text-xs">
                <span className="sr-only">, </span>
                {manualMoveLabels[t.event].toLowerCase()}
              </span>
            </DropdownMenuItem>
          ))
        )}
        <DropdownMenuSeparator />
        <DropdownMenuLabel className="text-muted-foreground text-xs">Priority</DropdownMenuLabel>
        {(
          [
            ["top", "Move to top", ArrowUpToLine, first],
            ["up", "Move up", ArrowUp, first],
            ["down", "Move down", ArrowDown, last],
            ["bottom", "Move to bottom", ArrowDownToLine, last],
          ] as const
        ).map(([place, text, Icon, disabled]) => (
          <DropdownMenuItem
            key={place}
            disabled={disabled}
            onSelect={() => {
              setMoved(true);
              actions.willMove(task.id);
              actions.reorder(task.id, place);
            }}
          >
            <Icon aria-hidden="true" /> {text}
          </DropdownMenuItem>
        ))}
      </DropdownMenuContent>
    </DropdownMenu>
  );
}

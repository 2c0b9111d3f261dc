import {
  Activity,
  Bot,
  Coins,
  FolderGit2,
  KanbanSquare,
  type LucideIcon,
  Network,
  Settings,
  Ticket,
} from "lucide-react";

export interface NavItem {
  label: string;
  segment: string;
  icon: LucideIcon;
  /** Two-key "go to" shortcut: G then this key. */
  goKey: string;
}

/** The sidebar's pages, in order; the palette and the G-shortcuts use the same list. */
export const navItems: NavItem[] = [
  { label: "Projects", segment: "projects", icon: FolderGit2, goKey: "p" },
  { label: "Tickets", segment: "tickets", icon: Ticket, goKey: "t" },
  { label: "Board", segment: "board", icon: KanbanSquare, goKey: "b" },
  { label: "Graph", segment: "graph", icon: Network, goKey: "g" },
  { label: "Activity", segment: "activity", icon: Activity, goKey: "a" },
  { label: "Agents", segment: "agents", icon: Bot, goKey: "n" },
  { label: "Costs", segment: "costs", icon: Coins, goKey: "c" },
  { label: "Settings", segment: "settings", icon: Settings, goKey: "s" },
];

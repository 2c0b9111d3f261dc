export { TaskDrawerSlotLayout as default } from "@/components/tasks/task-drawer-slot";

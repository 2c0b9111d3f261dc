export { NoTaskDrawer as default } from "@/components/tasks/task-drawer-slot";

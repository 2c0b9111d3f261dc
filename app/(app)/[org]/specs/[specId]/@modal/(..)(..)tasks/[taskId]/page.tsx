// A task opened from this page: the drawer over it (a reload shows the task's full page).
export { TaskDrawerPage as default } from "@/components/tasks/task-drawer-page";

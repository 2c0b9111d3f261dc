// Pure labels for the routing entries (Settings and the activity timeline); no server-only imports.

/** Each routing entry's name and what it is used for, in the order Settings lists them. */
export const routingLabels = {
  planner: { label: "Planning", hint: "Writes requirements from a ticket." },
  designer: { label: "Design", hint: "Writes the technical design." },
  "task-writer": { label: "Task writing", hint: "Breaks the design into tasks." },
  coder: { label: "Coding", hint: "The agent that implements a task." },
  "coder-light": {
    label: "Coding, small tasks",
    hint: "Tasks estimated at 15 minutes or less. Unset, it follows Coding when Coding is set.",
  },
  reviewer: { label: "Review", hint: "Reviews finished work." },
} as const;

export type RoutingLabelKey = keyof typeof routingLabels;

export function routingLabel(key: string): string {
  return Object.hasOwn(routingLabels, key) ? routingLabels[key as RoutingLabelKey].label : key;
}

import { z } from "zod";

export const maxDescriptionLength = 20_000;

export const ticketPriorities = ["LOW", "MEDIUM", "HIGH", "CRITICAL"] as const;
export const ticketTypes = ["FEATURE", "BUGFIX", "REFACTOR", "TEST", "DOCS", "CHORE"] as const;
export const ticketStatuses = ["OPEN", "IN_PROGRESS", "DONE", "CLOSED"] as const;

/** Labels (tags): deduplicated, each a short word or path. Also the intake API's `tags`. */
export const ticketLabelsSchema = z
  .array(
    z
      .string()
      .trim()
      .min(1, "A label cannot be empty")
      .max(40, "A label must be at most 40 characters")
      .regex(
        /^[\p{L}\p{N}][\p{L}\p{N} _.:/-]*$/u,
        "A label uses letters, digits, spaces and - _ . : /",
      ),
  )
  .max(20, "At most 20 labels")
  .transform((list) => [...new Set(list)]);

const ticketFields = {
  title: z
    .string({ error: "Title is required" })
    .trim()
    .min(1, "Title is required")
    .max(200, "Title must be at most 200 characters"),
  description: z
    .string()
    .max(
      maxDescriptionLength,
      `Description must be at most ${maxDescriptionLength.toLocaleString("en-US")} characters`,
    )
    .default(""),
  priority: z
    .enum(ticketPriorities, { error: "Priority must be low, medium, high or critical" })
    .default("MEDIUM"),
  type: z
    .enum(ticketTypes, { error: "Type must be feature, bugfix, refactor, test, docs or chore" })
    .default("FEATURE"),
  labels: ticketLabelsSchema.default([]),
};

export const createTicketSchema = z.object({
  projectId: z.string({ error: "Choose a project" }).min(1, "Choose a project"),
  ...ticketFields,
});
export type CreateTicketInput = z.input<typeof createTicketSchema>;

export const updateTicketSchema = z.object({
  ticketId: z.string().min(1),
  title: ticketFields.title.optional(),
  description: ticketFields.description.optional(),
  priority: ticketFields.priority.optional(),
  type: ticketFields.type.optional(),
  labels: ticketLabelsSchema.optional(),
  status: z.enum(ticketStatuses, { error: "Unknown status" }).optional(),
});
export type UpdateTicketInput = z.input<typeof updateTicketSchema>;

export const listTicketsSchema = z.object({
  projectId: z.string().min(1).optional(),
  status: z.enum(ticketStatuses).optional(),
  q: z.string().trim().max(200).optional(),
  cursor: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});
export type ListTicketsInput = z.input<typeof listTicketsSchema>;

/** "a, b ,c" -> ["a", "b", "c"], for the labels field of forms. */
export function parseLabelList(text: string): string[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

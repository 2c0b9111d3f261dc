// The task-intake request (POST /api/v1/tasks/enqueue), in the API's snake_case. Strict at the top
// level and in target/options, so a misspelt field is named rather than silently ignored.
import { z } from "zod";
import { maxDescriptionLength, ticketLabelsSchema } from "@/lib/tickets/ticket-schema";

export const intakeTypes = ["feature", "bugfix", "refactor", "test", "docs", "chore"] as const;
export const intakePriorities = ["low", "medium", "high", "critical"] as const;
export type IntakeType = (typeof intakeTypes)[number];
export type IntakePriority = (typeof intakePriorities)[number];

/** Largest metadata object, as JSON, kept with the ticket and echoed in callbacks. */
export const maxMetadataBytes = 16 * 1024;

const targetPath = z
  .string()
  .trim()
  .min(1)
  .max(1000)
  .transform((p) => p.replace(/^(\.\/|\/)+/, ""))
  .refine((p) => !p.split("/").includes(".."), { error: "path may not contain .. segments" })
  .describe("A path inside the repository the work is about (a file or folder).");

export const enqueueTaskSchema = z
  .strictObject({
    type: z
      .enum(intakeTypes, { error: "type must be feature, bugfix, refactor, test, docs or chore" })
      .describe("What kind of work this is."),
    payload: z
      .looseObject({
        title: z
          .string({ error: "payload.title is required" })
          .trim()
          .min(1, "payload.title is required")
          .max(200, "payload.title must be at most 200 characters")
          .describe("The ticket's title."),
        description: z
          .string()
          .max(
            maxDescriptionLength,
            `payload.description must be at most ${maxDescriptionLength} characters`,
          )
          .default("")
          .describe("What should be done, in Markdown."),
      })
      .describe("The work itself. Fields besides title and description are kept with the ticket."),
    priority: z
      .enum(intakePriorities, { error: "priority must be low, medium, high or critical" })
      .default("medium"),
    source: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .default("api")
      .describe("Who is asking, for the record (e.g. ci:github-actions)."),
    target: z
      .strictObject({
        repository: z
          .string({ error: "target.repository is required" })
          .trim()
          .min(1, "target.repository is required")
          .max(500)
          .describe(
            "The project to file the work in: its slug, its GitHub repository (owner/name), its local repository path, or its id.",
          ),
        ref: z
          .string()
          .trim()
          .min(1)
          .max(255)
          .optional()
          .describe("Branch, tag or commit the work starts from."),
        path: targetPath.optional(),
      })
      .describe("Where the work happens."),
    options: z
      .strictObject({
        timeout: z
          .number()
          .int()
          .min(60)
          .max(86_400)
          .optional()
          .describe("Seconds each of the ticket's tasks may run before it times out."),
        retries: z.number().int().min(0).max(10).optional().describe("Retries of a failing task."),
        approval_mode: z
          .enum(["auto", "manual"], { error: "approval_mode must be auto or manual" })
          .optional()
          .describe(
            "auto: every phase is approved as it finishes; manual: people approve; unset: the project's settings.",
          ),
      })
      .default({}),
    metadata: z
      .record(z.string(), z.unknown())
      .refine((m) => Buffer.byteLength(JSON.stringify(m)) <= maxMetadataBytes, {
        error: `metadata must be at most ${maxMetadataBytes} bytes of JSON`,
      })
      .default({})
      .describe("Your own data, kept with the ticket and sent back in callbacks."),
    tags: ticketLabelsSchema.default([]).describe("Labels for the ticket."),
    idempotency_key: z
      .string()
      .trim()
      .min(1)
      .max(255)
      .regex(/^[\x21-\x7e]+$/, "idempotency_key uses printable ASCII without spaces")
      .optional()
      .describe("Requests with the same key make one ticket; repeating one returns that ticket."),
    callback_url: z
      .url({ protocol: /^https?$/, error: "callback_url must be an http or https URL" })
      .max(2048)
      .optional()
      .describe(
        "Receives a signed POST (Standard Webhooks) when the ticket's work ends. Must reach a public address unless the host is allowed in Settings.",
      ),
  })
  .describe("A unit of work to file as a ticket and run through the pipeline.");

export type EnqueueTaskInput = z.input<typeof enqueueTaskSchema>;
export type EnqueueTaskRequest = z.output<typeof enqueueTaskSchema>;

import { z } from "zod";
import { runnerLabelsSchema } from "@/lib/runners/runner-label";

const command = z
  .string()
  .trim()
  .max(500, "A command must be at most 500 characters")
  .optional()
  .transform((v) => (v ? v : null));

const approvalMode = z.enum(["MANUAL", "AUTO"], { error: "Choose manual or auto" });

/** Fields a person edits on a project; the same schema serves the form, the action and the API. */
export const projectFieldsSchema = z.object({
  name: z.string().trim().min(1, "Name is required").max(80, "Name must be at most 80 characters"),
  description: z
    .string()
    .trim()
    .max(2000, "Description must be at most 2,000 characters")
    .optional()
    .transform((v) => v || null),
  localPath: z
    .string()
    .trim()
    .min(1, "Path to a local git repository is required")
    .max(1024, "Path is too long"),
  setupCommand: command,
  testCommand: command,
  lintCommand: command,
  agentCommand: command,
  /** Pinned to self-hosted runners with all these labels; localPath is then what they clone. */
  runnerLabels: runnerLabelsSchema.optional(),
  approvalRequirements: approvalMode.default("MANUAL"),
  approvalDesign: approvalMode.default("MANUAL"),
  approvalTasks: approvalMode.default("MANUAL"),
});

export const createProjectSchema = projectFieldsSchema;
export type CreateProjectInput = z.input<typeof createProjectSchema>;

export const updateProjectSchema = projectFieldsSchema.partial().extend({
  projectId: z.string().min(1),
});
export type UpdateProjectInput = z.input<typeof updateProjectSchema>;

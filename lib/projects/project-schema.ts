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
  /** Where the code is: a git work tree on the server (LOCAL) or a GitHub repository (GITHUB). */
  repoKind: z
    .enum(["LOCAL", "GITHUB"], { error: "Choose a local path or a GitHub repository" })
    .optional(),
  localPath: z.string().trim().max(1024, "Path is too long").optional(),
  /** owner/name of a repository an installation of the organization grants (repoKind GITHUB). */
  githubRepository: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, "Choose a GitHub repository (owner/name)")
      .optional(),
  ),
  /** Issues of the linked GitHub repository labelled with this become tickets. */
  githubLabel: z
    .string()
    .trim()
    .min(1, "Enter the label that files an issue as a ticket")
    .max(50, "A label must be at most 50 characters")
    .optional(),
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

type RepositoryFields = {
  repoKind?: "LOCAL" | "GITHUB";
  localPath?: string;
  githubRepository?: string;
};

/** A project's code is in exactly one place: the chosen kind's field is required. */
function requireRepository(creating: boolean) {
  return (value: RepositoryFields, ctx: z.RefinementCtx) => {
    if (value.repoKind === "GITHUB") {
      if (!value.githubRepository) {
        ctx.addIssue({
          code: "custom",
          path: ["githubRepository"],
          message: "Choose a GitHub repository",
        });
      }
    } else if (creating ? !value.localPath : value.localPath === "") {
      ctx.addIssue({
        code: "custom",
        path: ["localPath"],
        message: "Path to a local git repository is required",
      });
    }
  };
}

export const createProjectSchema = projectFieldsSchema.superRefine(requireRepository(true));
export type CreateProjectInput = z.input<typeof createProjectSchema>;

export const updateProjectSchema = projectFieldsSchema
  .partial()
  .extend({
    projectId: z.string().min(1),
    // An update changes only what it names: without these, .partial() would keep the
    // defaults and an update that leaves the approval modes out would reset them to manual.
    approvalRequirements: approvalMode.optional(),
    approvalDesign: approvalMode.optional(),
    approvalTasks: approvalMode.optional(),
  })
  .superRefine(requireRepository(false));
export type UpdateProjectInput = z.input<typeof updateProjectSchema>;

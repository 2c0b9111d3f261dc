import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeActivity } from "@/lib/activity/describe-activity";
import { listActivity } from "@/lib/activity/list-activity";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import type { Actor } from "@/lib/orgs/roles";
import { createProjectWithTicket, createUserWithOrg } from "@/prisma/factories";
import { updateProject } from "./update-project";

let database: TestDatabase;
const db = () => database.db;
let owner: Actor;

beforeAll(async () => {
  database = await createTestDatabase();
  owner = (await createUserWithOrg(db(), "Ada")).actor;
});
afterAll(async () => {
  await database?.drop();
});

async function projectSentences(projectId: string, actor = owner): Promise<string[]> {
  const { items } = await listActivity(db(), {
    actor,
    input: { type: "project.updated", projectId },
  });
  return items.map((e) => describeActivity(e));
}

describe("updateProject's activity", () => {
  it("names only what changed, in words, when the settings form resubmits every field", async () => {
    const { project } = await createProjectWithTicket(db(), owner, "Todo lib");
    await updateProject(db(), {
      actor: owner,
      input: { projectId: project.id, lintCommand: "npm run lint" },
    });
    // The whole form again: same name, path and gates; a new test command, the lint command emptied.
    await updateProject(db(), {
      actor: owner,
      input: {
        projectId: project.id,
        name: "Todo lib",
        description: "",
        repoKind: "LOCAL",
        localPath: project.localPath ?? "",
        setupCommand: "",
        testCommand: "npm test",
        lintCommand: "",
        agentCommand: "",
        approvalRequirements: "MANUAL",
        approvalDesign: "MANUAL",
        approvalTasks: "MANUAL",
      },
    });
    await updateProject(db(), { actor: owner, input: { projectId: project.id, name: "Todos" } });

    expect(await projectSentences(project.id)).toEqual([
      "Ada updated project Todos: renamed it",
      "Ada updated project Todos: set the test command and removed the lint command",
      "Ada updated project Todos: set the lint command",
    ]);
  });

  it("records nothing when nothing changed", async () => {
    // Another organization: the free plan holds one project each.
    const other = (await createUserWithOrg(db(), "Grace")).actor;
    const { project } = await createProjectWithTicket(db(), other, "Calm");
    await updateProject(db(), {
      actor: other,
      input: { projectId: project.id, name: "Calm", approvalTasks: "MANUAL", testCommand: "" },
    });
    expect(await projectSentences(project.id, other)).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { createProjectSchema, updateProjectSchema } from "./project-schema";

describe("project schemas", () => {
  it("start a new project with manual approvals and no commands", () => {
    const project = createProjectSchema.parse({ name: "Web", localPath: "/srv/web" });
    expect(project).toMatchObject({
      approvalRequirements: "MANUAL",
      approvalDesign: "MANUAL",
      approvalTasks: "MANUAL",
      setupCommand: null,
      testCommand: null,
    });
  });

  it("change only what an update names", () => {
    expect(updateProjectSchema.parse({ projectId: "prj_1", name: "Renamed" })).toEqual({
      projectId: "prj_1",
      name: "Renamed",
    });
    expect(
      updateProjectSchema.parse({ projectId: "prj_1", approvalTasks: "AUTO", testCommand: "" }),
    ).toEqual({ projectId: "prj_1", approvalTasks: "AUTO", testCommand: null });
  });

  it("refuse an unknown approval mode, naming the field", () => {
    const result = updateProjectSchema.safeParse({ projectId: "prj_1", approvalDesign: "LATER" });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({
      path: ["approvalDesign"],
      message: "Choose manual or auto",
    });
  });
});

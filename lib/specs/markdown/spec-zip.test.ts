import { strToU8, unzipSync, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { packSpecZip } from "./pack-spec-zip";
import { readSpecUpload } from "./read-spec-upload";

const files = {
  "requirements.md": "# Requirements Document\n\nÜnïcode — kept.\n",
  "design.md": "# Design Document\n",
  "tasks.md": "# Implementation Plan\n\n- [ ] 1. Do it\n",
};

describe("packSpecZip", () => {
  it("puts each file under the spec's folder, readable by any unzip", () => {
    const entries = unzipSync(packSpecZip("csv-export", files));
    expect(Object.keys(entries).sort()).toEqual([
      "csv-export/design.md",
      "csv-export/requirements.md",
      "csv-export/tasks.md",
    ]);
    expect(new TextDecoder().decode(entries["csv-export/requirements.md"])).toBe(
      files["requirements.md"],
    );
  });

  it("leaves out phases that have no file", () => {
    const entries = unzipSync(packSpecZip("x", { "requirements.md": "# R\n" }));
    expect(Object.keys(entries)).toEqual(["x/requirements.md"]);
  });
});

describe("readSpecUpload", () => {
  it("reads back an exported zip", () => {
    expect(
      readSpecUpload([{ name: "csv-export.zip", bytes: packSpecZip("csv-export", files) }]),
    ).toEqual({ ok: true, files });
  });

  it("reads Kiro's .kiro/specs/<name>/ layout and skips other files and macOS debris", () => {
    const zip = zipSync({
      ".kiro/specs/auth/requirements.md": strToU8("# R\n"),
      ".kiro/specs/auth/tasks.md": strToU8("# T\n"),
      ".kiro/steering/product.md": strToU8("# Product\n"),
      "__MACOSX/.kiro/specs/auth/._tasks.md": strToU8("junk"),
    });
    expect(readSpecUpload([{ name: "auth.zip", bytes: zip }])).toEqual({
      ok: true,
      files: { "requirements.md": "# R\n", "tasks.md": "# T\n" },
    });
  });

  it("reads loose Markdown files by name, in any case", () => {
    expect(
      readSpecUpload([
        { name: "Design.md", bytes: strToU8("# D\n") },
        { name: "tasks.md", bytes: strToU8("# T\n") },
      ]),
    ).toEqual({ ok: true, files: { "design.md": "# D\n", "tasks.md": "# T\n" } });
  });

  it("names every file it refuses", () => {
    const twoSpecs = zipSync({
      "a/requirements.md": strToU8("# A\n"),
      "b/design.md": strToU8("# B\n"),
    });
    expect(
      readSpecUpload([
        { name: "notes.md", bytes: strToU8("x") },
        { name: "tasks.md", bytes: strToU8("# T\n") },
        { name: "more.zip", bytes: zipSync({ "s/tasks.md": strToU8("# T2\n") }) },
        { name: "two.zip", bytes: twoSpecs },
        { name: "broken.zip", bytes: strToU8("not a zip") },
        { name: "empty.zip", bytes: zipSync({ "README.md": strToU8("hi") }) },
        { name: "design.md", bytes: new Uint8Array([0xff, 0xfe, 0x41]) },
      ]),
    ).toEqual({
      ok: false,
      errors: [
        "notes.md is not requirements.md, design.md, tasks.md or a .zip",
        "Two copies of tasks.md (tasks.md and more.zip: s/tasks.md); import one spec at a time",
        "two.zip holds spec files in more than one folder (a/, b/); import one spec at a time",
        expect.stringMatching(/^broken\.zip could not be unzipped \(.+\)$/),
        "empty.zip holds no requirements.md, design.md or tasks.md",
        "design.md is not UTF-8 text",
      ],
    });
  });

  it("refuses files over 200 KB, in a zip before inflating them", () => {
    const big = strToU8(`# R\n${"x".repeat(210 * 1024)}\n`);
    expect(
      readSpecUpload([
        { name: "spec.zip", bytes: zipSync({ "spec/requirements.md": big }) },
        { name: "tasks.md", bytes: big },
      ]),
    ).toEqual({
      ok: false,
      errors: [
        "spec.zip: spec/requirements.md is larger than 200 KB",
        "tasks.md is larger than 200 KB",
      ],
    });
  });

  it("asks for a file when nothing was chosen", () => {
    expect(readSpecUpload([])).toEqual({
      ok: false,
      errors: ["Choose requirements.md, design.md or tasks.md (or a .zip holding them)"],
    });
  });
});

import { unzipSync } from "fflate";
import { maxSpecFileBytes, specFileNames } from "../import-spec-schema";
import type { SpecMarkdownFileName, SpecMarkdownFiles } from "./export-spec-markdown";

export interface SpecUpload {
  /** The file's name as chosen (e.g. "tasks.md" or "checkout.zip"). */
  name: string;
  bytes: Uint8Array;
}

export type ReadSpecUploadResult =
  | { ok: true; files: SpecMarkdownFiles }
  | { ok: false; errors: string[] };

function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

function dirName(path: string): string {
  return path.slice(0, path.lastIndexOf("/") + 1);
}

function specFileName(path: string): SpecMarkdownFileName | null {
  const base = baseName(path).toLowerCase();
  return specFileNames.find((name) => name === base) ?? null;
}

/** macOS resource forks and similar debris that zip tools add next to the real files. */
function isDebris(path: string): boolean {
  return path.startsWith("__MACOSX/") || baseName(path).startsWith("._");
}

/**
 * The spec files among what a person picked in the browser: requirements.md,
 * design.md and tasks.md themselves, or a zip holding one spec folder (as
 * exported, or Kiro's .kiro/specs/<name>/). Every problem is reported by name.
 */
export function readSpecUpload(uploads: readonly SpecUpload[]): ReadSpecUploadResult {
  const files: SpecMarkdownFiles = {};
  const sources = new Map<SpecMarkdownFileName, string>();
  const errors: string[] = [];
  const decoder = new TextDecoder("utf-8", { fatal: true });

  const add = (file: SpecMarkdownFileName, source: string, bytes: Uint8Array) => {
    const earlier = sources.get(file);
    if (earlier !== undefined) {
      errors.push(`Two copies of ${file} (${earlier} and ${source}); import one spec at a time`);
      return;
    }
    sources.set(file, source);
    if (bytes.length > maxSpecFileBytes) {
      errors.push(`${source} is larger than 200 KB`);
      return;
    }
    try {
      files[file] = decoder.decode(bytes);
    } catch {
      errors.push(`${source} is not UTF-8 text`);
    }
  };

  for (const upload of uploads) {
    if (upload.name.toLowerCase().endsWith(".zip")) {
      readZip(upload, add, errors);
      continue;
    }
    const file = specFileName(upload.name);
    if (file) add(file, upload.name, upload.bytes);
    else errors.push(`${upload.name} is not requirements.md, design.md, tasks.md or a .zip`);
  }
  if (errors.length === 0 && sources.size === 0) {
    errors.push("Choose requirements.md, design.md or tasks.md (or a .zip holding them)");
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, files };
}

function readZip(
  upload: SpecUpload,
  add: (file: SpecMarkdownFileName, source: string, bytes: Uint8Array) => void,
  errors: string[],
) {
  const tooLarge: string[] = [];
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(upload.bytes, {
      filter: (entry) => {
        if (isDebris(entry.name) || !specFileName(entry.name)) return false;
        // Refused before inflating, so a huge entry never reaches memory.
        if (entry.originalSize > maxSpecFileBytes) tooLarge.push(entry.name);
        return entry.originalSize <= maxSpecFileBytes;
      },
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    errors.push(`${upload.name} could not be unzipped (${reason})`);
    return;
  }
  for (const path of tooLarge) errors.push(`${upload.name}: ${path} is larger than 200 KB`);
  const paths = Object.keys(entries).sort();
  const folders = [...new Set(paths.map(dirName))];
  if (folders.length > 1) {
    errors.push(
      `${upload.name} holds spec files in more than one folder (${folders.map((f) => f || "/").join(", ")}); import one spec at a time`,
    );
    return;
  }
  if (paths.length === 0 && tooLarge.length === 0) {
    errors.push(`${upload.name} holds no requirements.md, design.md or tasks.md`);
    return;
  }
  for (const path of paths) {
    const file = specFileName(path);
    const bytes = entries[path];
    if (file && bytes) add(file, `${upload.name}: ${path}`, bytes);
  }
}

import { strToU8, type Zippable, zipSync } from "fflate";
import type { SpecMarkdownFiles } from "./export-spec-markdown";

/** A zip holding `<folder>/requirements.md` etc., the layout Kiro keeps under .kiro/specs/. */
export function packSpecZip(folder: string, files: SpecMarkdownFiles): Uint8Array<ArrayBuffer> {
  const entries: Zippable = {};
  for (const [name, text] of Object.entries(files)) {
    if (text !== undefined) entries[`${folder}/${name}`] = strToU8(text);
  }
  return zipSync(entries, { level: 6 });
}

// Developer tooling (not a runtime path): Prisma's schema engine compiled to
// WebAssembly, used to draft migration SQL and to prove the committed migrations
// match schema.prisma. The native schema-engine binary cannot be downloaded here.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import * as engineGlue from "@prisma/schema-engine-wasm/schema_engine_bg";
import pg from "pg";

type SchemaEngine = engineGlue.SchemaEngine;

let wasmLoaded = false;

// The package's entry imports the .wasm as an ES module, which Node 20 cannot
// do without a flag, so instantiate it by hand against the JS glue.
function loadWasm() {
  if (wasmLoaded) return;
  const registry = { message: "", set_message(m: string) { this.message = m; } };
  (globalThis as { PRISMA_WASM_PANIC_REGISTRY?: typeof registry }).PRISMA_WASM_PANIC_REGISTRY = registry;
  const pkgDir = path.dirname(createRequire(import.meta.url).resolve("@prisma/schema-engine-wasm"));
  const module = new WebAssembly.Module(readFileSync(path.join(pkgDir, "schema_engine_bg.wasm")));
  const instance = new WebAssembly.Instance(module, { "./schema_engine_bg.js": engineGlue as unknown as WebAssembly.ModuleImports });
  engineGlue.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  wasmLoaded = true;
}

// The engine's catalog queries return "char" columns (OID 18), which the pg
// adapter cannot decode; reading them as text (OID 25) is lossless.
const charOid = 18;
const textOid = 25;
function charAsText<R>(result: R): R {
  for (const r of [result].flat() as { fields?: { dataTypeID: number }[] }[]) {
    for (const f of r?.fields ?? []) if (f.dataTypeID === charOid) f.dataTypeID = textOid;
  }
  return result;
}

class CatalogFriendlyPool extends pg.Pool {
  // biome-ignore lint/suspicious/noExplicitAny: pg's overloaded query signature
  override async query(...args: any[]): Promise<any> {
    // biome-ignore lint/suspicious/noExplicitAny: forwarding the overloads as they are
    return charAsText(await (super.query as any)(...args));
  }
  // biome-ignore lint/suspicious/noExplicitAny: forwarding the overloads as they are
  override async connect(...args: any[]): Promise<any> {
    // biome-ignore lint/suspicious/noExplicitAny: forwarding the overloads as they are
    if (args.length) return (super.connect as any)(...args);
    const client = await super.connect();
    const query = client.query.bind(client) as (...a: unknown[]) => Promise<unknown>;
    // biome-ignore lint/suspicious/noExplicitAny: patching the client's overloaded query
    (client as any).query = async (...a: unknown[]) => charAsText(await query(...a));
    return client;
  }
}

// With no database, the engine still probes a connection when it starts: this
// stand-in answers that probe and refuses everything else.
function offlineAdapterFactory() {
  const adapter = () => ({
    provider: "postgres" as const,
    adapterName: "offline",
    queryRaw: async () => ({
      columnNames: ["exists", "version", "numeric_version"],
      columnTypes: [5, 7, 0],
      rows: [[true, "PostgreSQL 16.0", 160000]],
    }),
    executeRaw: async () => {
      throw new Error("offline schema engine: no database");
    },
    executeScript: async () => {
      throw new Error("offline schema engine: no database");
    },
    startTransaction: async () => {
      throw new Error("offline schema engine: no database");
    },
    dispose: async () => {},
  });
  return { provider: "postgres" as const, adapterName: "offline", connect: async () => adapter(), connectToShadowDb: async () => adapter() };
}

const filters = { externalTables: [], externalEnums: [] };

async function withEngine<T>(schemaPath: string, url: string | null, use: (engine: SchemaEngine, files: { path: string; content: string }[]) => Promise<T>) {
  loadWasm();
  const files = [{ path: path.resolve(schemaPath), content: readFileSync(schemaPath, "utf8") }];
  const factory = url
    ? new PrismaPg(new CatalogFriendlyPool({ connectionString: url, max: 2 }), { disposeExternalPool: true })
    : offlineAdapterFactory();
  const engine = await engineGlue.SchemaEngine.new(
    { datamodels: files.map((f) => [f.path, f.content] as [string, string]) },
    () => {},
    // biome-ignore lint/suspicious/noExplicitAny: the wasm binding takes an untyped adapter object
    bindMigrationAwareSqlAdapterFactory(factory as any),
  );
  try {
    return await use(engine, files);
  } finally {
    engine.free();
  }
}

function scriptBody(stdout: string | null): string {
  return (stdout ?? "").replace(/^-- This is an empty migration\.\s*$/m, "").trim();
}

/** SQL that takes an empty database to schema.prisma (`migrate diff --from-empty`). */
export async function sqlFromEmpty(schemaPath: string): Promise<string> {
  return withEngine(schemaPath, null, async (engine, files) => {
    const result = await engine.diff({ from: { tag: "empty" }, to: { tag: "schemaDatamodel", files }, script: true, exitCode: null, filters });
    return scriptBody(result.stdout);
  });
}

/** SQL that takes the live database at `url` to schema.prisma; "" means no drift. */
export async function sqlFromDatabase(schemaPath: string, url: string): Promise<string> {
  return withEngine(schemaPath, url, async (engine, files) => {
    const result = await engine.diff({
      from: { tag: "schemaDatasource", files, configDir: process.cwd() },
      to: { tag: "schemaDatamodel", files },
      script: true,
      exitCode: true,
      filters,
    });
    return scriptBody(result.stdout);
  });
}

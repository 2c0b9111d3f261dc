// Developer tooling (not a runtime path): Prisma's schema engine compiled to
// WebAssembly, used to draft migration SQL and to prove the committed migrations
// match schema.prisma. The native schema-engine binary cannot be downloaded here.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import * as engineGlue from "@prisma/schema-engine-wasm/schema_engine_bg";

type SchemaEngine = engineGlue.SchemaEngine;

let wasmLoaded = false;

// The package's entry imports the .wasm as an ES module, which Node 20 cannot
// do without a flag, so instantiate it by hand against the JS glue.
function loadWasm() {
  if (wasmLoaded) return;
  const registry = {
    message: "",
    set_message(m: string) {
      this.message = m;
    },
  };
  (globalThis as { PRISMA_WASM_PANIC_REGISTRY?: typeof registry }).PRISMA_WASM_PANIC_REGISTRY =
    registry;
  const pkgDir = path.dirname(createRequire(import.meta.url).resolve("@prisma/schema-engine-wasm"));
  const module = new WebAssembly.Module(readFileSync(path.join(pkgDir, "schema_engine_bg.wasm")));
  const instance = new WebAssembly.Instance(module, {
    "./schema_engine_bg.js": engineGlue as unknown as WebAssembly.ModuleImports,
  });
  engineGlue.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  wasmLoaded = true;
}

// The engine's catalog queries return "char" columns (OID 18), which adapter-pg
// 7.10 cannot decode. Decode them as text and report them to the engine as its
// Character column type, which is what it expects for them.
const charOid = 18;
const textOid = 25;
const characterColumnType = 6;

interface PgResult {
  fields: { dataTypeID: number }[];
}
interface Queryable {
  performIO(query: unknown): Promise<PgResult>;
  queryRaw(query: unknown): Promise<{ columnTypes: number[] }>;
}

function decodeCharColumns<T extends object>(adapter: T): T {
  let proto: object | null = adapter;
  while (proto && !Object.hasOwn(proto, "queryRaw")) proto = Object.getPrototypeOf(proto);
  const target = proto as (Queryable & { queryRawPatched?: boolean }) | null;
  if (!target || target.queryRawPatched) return adapter;
  const original = target.queryRaw;
  target.queryRaw = async function (this: Queryable, query: unknown) {
    const result = await this.performIO(query);
    const isChar = result.fields.map((f) => f.dataTypeID === charOid);
    for (const f of result.fields) if (f.dataTypeID === charOid) f.dataTypeID = textOid;
    const replay = Object.assign(Object.create(this), { performIO: async () => result });
    const out = await original.call(replay, query);
    return {
      ...out,
      columnTypes: out.columnTypes.map((t, i) => (isChar[i] ? characterColumnType : t)),
    };
  };
  target.queryRawPatched = true;
  return adapter;
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
  return {
    provider: "postgres" as const,
    adapterName: "offline",
    connect: async () => adapter(),
    connectToShadowDb: async () => adapter(),
  };
}

const filters = { externalTables: [], externalEnums: [] };

async function withEngine<T>(
  schemaPath: string,
  url: string | null,
  use: (engine: SchemaEngine, files: { path: string; content: string }[]) => Promise<T>,
) {
  loadWasm();
  const files = [{ path: path.resolve(schemaPath), content: readFileSync(schemaPath, "utf8") }];
  // free() does not close the adapters the engine opened, so track and dispose them.
  const opened: { dispose(): Promise<void> }[] = [];
  let factory: object = offlineAdapterFactory();
  if (url) {
    const pgFactory = new PrismaPg({ connectionString: url });
    const connect = pgFactory.connect.bind(pgFactory);
    pgFactory.connect = async () => {
      const adapter = decodeCharColumns(await connect());
      opened.push(adapter);
      return adapter;
    };
    factory = pgFactory;
  }
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
    await Promise.all(opened.map((a) => a.dispose()));
  }
}

function scriptBody(stdout: string | null): string {
  return (stdout ?? "").replace(/^-- This is an empty migration\.\s*$/m, "").trim();
}

/** SQL that takes an empty database to schema.prisma (`migrate diff --from-empty`). */
export async function sqlFromEmpty(schemaPath: string): Promise<string> {
  return withEngine(schemaPath, null, async (engine, files) => {
    const result = await engine.diff({
      from: { tag: "empty" },
      to: { tag: "schemaDatamodel", files },
      script: true,
      exitCode: null,
      filters,
    });
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

// npm run bench:dashboard [-- --tasks 1000 --nodes 500 --events 200 --runs 5 --interval-ms 25]
// The dashboard in headless Chromium, against the production build started once by the
// launcher (bench/browser-app.ts) on a throw-away embedded Postgres, measured once the
// launcher's warm-up is done (one request without a session per main page: it loads each
// route's code; a signed-in page's queries and rendering still run cold on its first open).
// One user, signed in once through the real form, is a member of three organizations, one
// per measurement:
//  1. Board: N tasks over N/100 executing specs in every status and phase
//     (lib/tasks/testing/board-fixtures). Loads /<org>/board: a first open, then R more. Time
//     from navigation start to the board's "board-interactive" performance mark, set in its
//     first effect: React has hydrated every card of the page and dnd-kit listens. The page
//     holds the first 12 cards of each column (more than a screen shows); the rest of each
//     column's first 50 render after that, in a transition that input interrupts, printed as
//     "all cards drawn" (the "board-drawn" mark). Target < 1.5 s.
//  2. Graph: a spec of M tasks in a realistic DAG (layers of parallel work, each task
//     depending on one to three tasks of the layer or two before; the first 40% done, four
//     running, one failed). Opens /<org>/graph?spec=… in a fresh page R+1 times and clicks a
//     node until the task drawer opens ("interactive"), timed from just before navigation.
//     The spec's layout is stored on it as approving its task graph does (lib/specs/approve-
//     phase.ts → storeSpecGraphLayout). The first open finds the page's queries and rendering
//     (its code is loaded by the warm-up) and the browser's cache cold; later opens reuse them,
//     as a person coming back does. Target < 2 s.
//  3. Realtime: E activity events, each an autocommit INSERT, one every I ms, timed from just
//     before the INSERT is sent until the open activity page's realtime provider hands the
//     event to its listeners (the `trellis:realtime` window event): Postgres LISTEN/NOTIFY ->
//     the web process -> server-sent events -> EventSource. Same machine, same clock. p50 and
//     p95; target p95 < 250 ms. Then until the event's row is on screen (the page refreshed
//     from the server), against the 2 s the e2e allows; and the refreshes that took.
// Prints figures, targets and ratios, and the machine's load; never asserts, always exits 0.
import path from "node:path";
import { parseArgs } from "node:util";
import type { BrowserContext } from "playwright-core";
import { createDb } from "@/lib/db/client";
import { createOrganization } from "@/lib/orgs/create-organization";
import { computeLayout } from "@/lib/tasks/layout-task-graph";
import { storeSpecGraphLayout } from "@/lib/tasks/spec-graph-layout";
import { seedBoard } from "@/lib/tasks/testing/board-fixtures";
import { createTaskGraph, createTaskScope } from "@/lib/tasks/testing/task-fixtures";
import { seededRandom } from "@/lib/utils/prng";
import { createUserWithOrg } from "@/prisma/factories";
import {
  fmtMs,
  launchChromium,
  machineLoad,
  median,
  percentile,
  signIn,
  sleep,
  startApp,
  startScratchDatabase,
} from "./browser-app";

const { values } = parseArgs({
  options: {
    tasks: { type: "string", default: "1000" },
    nodes: { type: "string", default: "500" },
    events: { type: "string", default: "200" },
    runs: { type: "string", default: "5" },
    "interval-ms": { type: "string", default: "25" },
  },
});
const boardTasks = Math.max(1, Number(values.tasks) || 1000);
const graphNodes = Math.max(2, Number(values.nodes) || 500);
const eventCount = Math.max(1, Number(values.events) || 200);
const runs = Math.max(1, Number(values.runs) || 5);
const intervalMs = Math.max(0, Number(values["interval-ms"]) || 0);

const BOARD_TARGET_MS = 1_500;
const GRAPH_TARGET_MS = 2_000;
const REALTIME_P95_TARGET_MS = 250;
const SHOWN_BOUND_MS = 2_000;

interface Row {
  what: string;
  ms: number;
  target?: number;
  note?: string;
}
const rows: Row[] = [];
const warmed = " (after the launcher's warm-up)";

/** Layers of 10–30 parallel tasks; each depends on 1–3 tasks of the previous two layers. */
function realisticDag(n: number) {
  const random = seededRandom(42);
  const layers: string[][] = [];
  const nodes: { key: string; dependsOn: string[] }[] = [];
  while (nodes.length < n) {
    const width = Math.min(n - nodes.length, 10 + Math.floor(random() * 21));
    const layer: string[] = [];
    const before = [...(layers.at(-1) ?? []), ...(layers.at(-2) ?? [])];
    for (let i = 0; i < width; i++) {
      const key = `${layers.length + 1}.${i + 1}`;
      const deps = new Set<string>();
      const count = before.length ? 1 + Math.floor(random() * 3) : 0;
      // Mostly the layer just before: plans are chains of steps more than long jumps.
      for (let d = 0; d < count; d++) {
        const pool = random() < 0.8 && layers.at(-1) ? layers.at(-1)! : before;
        deps.add(pool[Math.floor(random() * pool.length)]!);
      }
      layer.push(key);
      nodes.push({ key, dependsOn: [...deps] });
    }
    layers.push(layer);
  }
  return nodes;
}

// ─── the board ─────────────────────────────────────────────────────────────────
async function benchBoard(context: BrowserContext, baseUrl: string, orgSlug: string) {
  const page = await context.newPage();
  const url = `${baseUrl}/${orgSlug}/board`;
  const samples = [];
  for (let i = 0; i <= runs; i++) {
    const response = await page.goto(url, { waitUntil: "commit" });
    const html = (await response?.body())?.toString() ?? "";
    const inHtml = html.match(/data-task-card=/g)?.length ?? 0;
    await page.waitForSelector("[data-board-ready]", { state: "attached", timeout: 60_000 });
    // The columns draw the rest of their first 50 cards after the board is interactive.
    await page.waitForFunction(() => performance.getEntriesByName("board-drawn").length > 0, null, {
      timeout: 60_000,
    });
    const timing = await page.evaluate(() => {
      const [nav] = performance.getEntriesByType("navigation") as PerformanceNavigationTiming[];
      // (No helper function here: tsx would wrap it in a __name call the page does not have.)
      return {
        interactive: performance.getEntriesByName("board-interactive")[0]?.startTime ?? Number.NaN,
        drawn: performance.getEntriesByName("board-drawn")[0]?.startTime ?? Number.NaN,
        response: nav ? nav.responseStart - nav.startTime : Number.NaN,
        htmlDone: nav ? nav.responseEnd - nav.startTime : Number.NaN,
        cards: document.querySelectorAll("[data-task-card]").length,
      };
    });
    samples.push(timing.interactive);
    console.log(
      `board ${i === 0 ? "first open" : `run ${i}/${runs}`}: interactive ${fmtMs(timing.interactive)}  ` +
        `server response ${fmtMs(timing.response)}  html received ${fmtMs(timing.htmlDone)} ` +
        `(${(html.length / 1024).toFixed(0)} KB, ${inHtml} cards)  ` +
        `all ${timing.cards} cards drawn ${fmtMs(timing.drawn)}`,
    );
  }
  await page.close();
  const what = `board interactive, ${boardTasks.toLocaleString("en")} tasks`;
  rows.push({
    what: `${what}: first open`,
    ms: samples[0]!,
    target: BOARD_TARGET_MS,
    note: warmed,
  });
  rows.push({
    what: `${what}: median of ${runs}`,
    ms: median(samples.slice(1)),
    target: BOARD_TARGET_MS,
  });
}

// ─── the graph ─────────────────────────────────────────────────────────────────
async function benchGraph(context: BrowserContext, url: string) {
  const samples = [];
  // One tab, navigated again for each open, as for the board (a new tab per open would add
  // Chromium starting a renderer process to every figure).
  const page = await context.newPage();
  for (let i = 0; i <= runs; i++) {
    const started = performance.now();
    await page.goto(url, { waitUntil: "commit" });
    const node = page.locator(".react-flow__node").first();
    await node.waitFor({ state: "visible", timeout: 60_000 });
    const drawn = performance.now() - started;
    // Interactive = hydrated: a click on a node opens the task drawer. A click that lands
    // before hydration does nothing, so click until the drawer shows.
    const dialog = page.getByRole("dialog");
    while (!(await dialog.isVisible())) {
      if (performance.now() - started > 60_000) throw new Error("the drawer never opened");
      await node.click({ timeout: 1_000 }).catch(() => {});
      await dialog.waitFor({ state: "visible", timeout: 150 }).catch(() => {});
    }
    const interactive = performance.now() - started;
    const ttfb = await page.evaluate(() => {
      const [nav] = performance.getEntriesByType("navigation") as PerformanceNavigationTiming[];
      return nav ? nav.responseStart - nav.startTime : Number.NaN;
    });
    const inDom = await page.locator(".react-flow__node").count();
    samples.push(interactive);
    console.log(
      `graph ${i === 0 ? "first open" : `run ${i}/${runs}`}: interactive ${fmtMs(interactive)}  ` +
        `first node ${fmtMs(drawn)}  server response ${fmtMs(ttfb)}  nodes in the DOM ${inDom}`,
    );
  }
  await page.close();
  const what = `graph interactive, ${graphNodes} nodes`;
  rows.push({
    what: `${what}: first open`,
    ms: samples[0]!,
    target: GRAPH_TARGET_MS,
    note: warmed,
  });
  rows.push({
    what: `${what}: median of ${runs} later opens`,
    ms: median(samples.slice(1)),
    target: GRAPH_TARGET_MS,
  });
}

// ─── realtime ──────────────────────────────────────────────────────────────────
interface Seen {
  handler: Record<string, number>;
  screen: Record<string, number>;
}

async function benchRealtime(
  context: BrowserContext,
  baseUrl: string,
  orgSlug: string,
  insert: (type: string) => Promise<unknown>,
) {
  // The activity timeline: each event becomes a row ("Trellis · bench.n17") once the page
  // refreshes.
  const page = await context.newPage();
  await page.goto(`${baseUrl}/${orgSlug}/activity`);
  await page
    .getByRole("button", { name: "Live updates: live" })
    .waitFor({ state: "visible", timeout: 30_000 });
  await page.evaluate(() => {
    const seen: Seen = { handler: {}, screen: {} };
    (window as unknown as { bench: Seen }).bench = seen;
    window.addEventListener("trellis:realtime", (e) => {
      const { type } = (e as CustomEvent<{ type: string }>).detail;
      if (type.startsWith("bench.")) seen.handler[type] ??= Date.now();
    });
    // A row: <li data-seq><icon/><sentence/><time/></li>; the sentence ends with the type.
    new MutationObserver((mutations) => {
      const at = Date.now();
      for (const mutation of mutations) {
        for (const node of mutation.addedNodes) {
          if (!(node instanceof Element)) continue;
          for (const sentence of node.querySelectorAll("li[data-seq] > :nth-child(2)")) {
            const type = sentence.textContent?.match(/bench\.n\d+$/)?.[0];
            if (type) seen.screen[type] ??= at;
          }
        }
      }
    }).observe(document.body, { childList: true, subtree: true });
  });
  // What the events cost the page: its refreshes (RSC requests) and the links they made it
  // prefetch again.
  let refreshes = 0;
  const prefetched = new Map<string, number>();
  page.on("request", (request) => {
    const headers = request.headers();
    if (headers.rsc !== "1") return;
    if (!headers["next-router-prefetch"]) refreshes++;
    else {
      const target = new URL(request.url()).pathname;
      prefetched.set(target, (prefetched.get(target) ?? 0) + 1);
    }
  });

  // A few unmeasured events first: the first ones pay for JIT and connection warm-up.
  const warmup = 10;
  const sentAt = new Map<string, number>();
  for (let n = 0; n < warmup + eventCount; n++) {
    const type = n < warmup ? `bench.warmup_${n}` : `bench.n${n - warmup}`;
    sentAt.set(type, Date.now());
    await insert(type);
    if (intervalMs) await sleep(intervalMs);
  }
  await page.waitForFunction(
    (n) => Object.keys((window as unknown as { bench: Seen }).bench.handler).length >= n,
    warmup + eventCount,
    { timeout: 60_000 },
  );
  const last = `bench.n${eventCount - 1}`;
  await page
    .waitForFunction((type) => type in (window as unknown as { bench: Seen }).bench.screen, last, {
      timeout: 30_000,
    })
    .catch(() => {});
  const seen = await page.evaluate(() => (window as unknown as { bench: Seen }).bench);
  await page.close();

  const measured = [...sentAt.keys()].filter((type) => type.startsWith("bench.n"));
  const since = (at: Record<string, number>) =>
    measured.flatMap((type) => (type in at ? [at[type]! - sentAt.get(type)!] : []));
  const handler = since(seen.handler);
  const screen = since(seen.screen);
  // Keys keep the order the handler saw the events in.
  const sent = [...sentAt.keys()];
  const inOrder = Object.keys(seen.handler).every((type, i) => type === sent[i]);
  console.log(
    `realtime: ${handler.length} events, one every ${intervalMs} ms; handled in commit order ${inOrder}; ` +
      `handler max ${fmtMs(Math.max(...handler))}; on screen ${screen.length} of ${measured.length}, ` +
      `max ${fmtMs(Math.max(...screen))}; the page refreshed ${refreshes} times`,
  );
  const prefetches = [...prefetched].map(([target, n]) => `${target} ×${n}`).join(", ");
  console.log(`realtime: links prefetched again meanwhile: ${prefetches || "none"}`);
  const what = `realtime, ${handler.length} events: commit → handler`;
  rows.push({ what: `${what} p50`, ms: percentile(handler, 50) });
  rows.push({ what: `${what} p95`, ms: percentile(handler, 95), target: REALTIME_P95_TARGET_MS });
  // The issue's bound for a change to show in another open browser (e2e/realtime.spec.ts).
  const onScreen = `realtime, ${screen.length} events: commit → on screen`;
  rows.push({ what: `${onScreen} p50`, ms: percentile(screen, 50) });
  rows.push({ what: `${onScreen} p95`, ms: percentile(screen, 95), target: SHOWN_BOUND_MS });
}

function printTable() {
  const width = Math.max(...rows.map((r) => r.what.length));
  console.log(`\n${"".padEnd(width)}  ${"figure".padStart(8)}  ${"target".padStart(10)}  ratio`);
  for (const row of rows) {
    const ratio = row.target ? row.ms / row.target : Number.NaN;
    const verdict = !row.target ? "" : ratio < 1 ? "within target" : "OVER TARGET";
    console.log(
      `${row.what.padEnd(width)}  ${fmtMs(row.ms).padStart(8)}  ${(row.target ? `< ${row.target} ms` : "").padStart(10)}  ` +
        `${Number.isFinite(ratio) ? ratio.toFixed(2) : "    "}  ${verdict}${row.note ?? ""}`,
    );
  }
}

// ─── main ──────────────────────────────────────────────────────────────────────
console.log(`bench/dashboard: ${machineLoad()} at start`);
let database: Awaited<ReturnType<typeof startScratchDatabase>> | undefined;
let app: Awaited<ReturnType<typeof startApp>> | undefined;
let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
try {
  database = await startScratchDatabase("dashboard");
  const db = createDb(database.url);

  // ─── seed: one user in three organizations ─────────────────────────────────────
  const seedStarted = performance.now();
  const owner = await createUserWithOrg(db, "Bench");
  await seedBoard(db, { orgId: owner.org.id, count: boardTasks });
  const graphOrg = await createOrganization(db, {
    userId: owner.user.id,
    input: { name: "Bench graph" },
  });
  const scope = await createTaskScope(db, { orgId: graphOrg.id, name: "Bench graph" });
  const dag = realisticDag(graphNodes);
  const doneUpTo = Math.floor(dag.length * 0.4);
  const random = seededRandom(7);
  await createTaskGraph(
    db,
    scope,
    dag.map((node, i) => ({
      ...node,
      title: `Task ${node.key} of the bench plan`,
      estimateMinutes: 10 + Math.floor(random() * 80),
      status:
        i < doneUpTo
          ? "DONE"
          : i < doneUpTo + 4
            ? "RUNNING"
            : i === doneUpTo + 4
              ? "FAILED"
              : "PENDING",
      ...(i >= doneUpTo && i < doneUpTo + 4
        ? {
            leaseOwner: "bench-worker",
            leaseExpiresAt: new Date(Date.now() + 3600_000),
            lastHeartbeatAt: new Date(),
          }
        : {}),
    })),
  );
  // As approving the task graph does: the layout is kept on the spec.
  await storeSpecGraphLayout(db, { orgId: graphOrg.id, specId: scope.specId, nodes: dag });
  const realtimeOrg = await createOrganization(db, {
    userId: owner.user.id,
    input: { name: "Bench realtime" },
  });
  const edges = dag.reduce((sum, node) => sum + node.dependsOn.length, 0);
  console.log(
    `seeded in ${fmtMs(performance.now() - seedStarted)}: a board of ${boardTasks} tasks; ` +
      `a graph of ${graphNodes} tasks and ${edges} dependencies`,
  );
  // What the server does for the graph on a cold layout cache (the first layout in a process
  // also compiles dagre; the server pays that once).
  const layoutTimes = [0, 1, 2, 3].map(() => {
    const started = performance.now();
    computeLayout(dag);
    return performance.now() - started;
  });
  console.log(`graph layout alone (dagre): ${layoutTimes.map(fmtMs).join(", ")}`);

  app = await startApp({ databaseUrl: database.url, dataDir: path.join(database.scratch, "app") });
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const signInPage = await context.newPage();
  await signIn(signInPage, app.baseUrl, owner.email, owner.password);
  await signInPage.close();
  console.log(`bench/dashboard: ${machineLoad()} with the app up, before measuring`);

  const sections: [string, () => Promise<void>][] = [
    ["board", () => benchBoard(context, app!.baseUrl, owner.org.slug)],
    [
      "graph",
      () => benchGraph(context, `${app!.baseUrl}/${graphOrg.slug}/graph?spec=${scope.specId}`),
    ],
    [
      "realtime",
      () =>
        benchRealtime(context, app!.baseUrl, realtimeOrg.slug, (type) =>
          db.activityEvent.create({ data: { orgId: realtimeOrg.id, type, actorKind: "SYSTEM" } }),
        ),
    ],
  ];
  for (const [name, run] of sections) {
    try {
      await run();
    } catch (error) {
      const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
      console.log(`${name} failed: ${message}`);
      rows.push({ what: `${name}`, ms: Number.NaN, note: `failed: ${message}` });
    }
  }
  await db.$disconnect();
  printTable();
  console.log(`\nbench/dashboard: ${machineLoad()} at the end`);
} catch (error) {
  console.log(`bench/dashboard failed: ${error instanceof Error ? error.message : error}`);
} finally {
  await browser?.close().catch(() => {});
  await app?.stop();
  await database?.stop();
}

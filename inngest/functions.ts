// The background functions, one per file in this folder, registered here for both
// engines (DBOS in the worker by default, Inngest when configured). The spec
// pipeline adds the first ones; until then the worker runs with none.
export const functions: readonly never[] = [];

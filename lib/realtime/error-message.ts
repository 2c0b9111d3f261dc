/** A thrown value as one log-friendly line (a Pusher RequestError with its status and body). */
export function errorMessage(error: unknown): string {
  if (error && typeof error === "object" && "status" in error) {
    const { status, body } = error as { status?: number; body?: string };
    return `HTTP ${status ?? "?"} ${body ?? ""}`.trim();
  }
  return error instanceof Error ? error.message : String(error);
}

import type { RunnerAssignment } from "@/lib/runners/claim-runner-task";
import type { RunnerTaskEvent } from "@/lib/runners/report-runner-task";

/** The runner's side of /api/runner/v1: Bearer token, JSON, retries for transient failures. */
export class RunnerApi {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  /** Waits (long poll, up to waitMs) for a task; null when none came. */
  async claim(
    options: { waitMs: number; leaseMs: number; claude: boolean },
    signal?: AbortSignal,
  ): Promise<RunnerAssignment | null> {
    const response = await this.post("/api/runner/v1/claim", options, signal);
    if (response.status === 204) return null;
    return (await response.json()) as RunnerAssignment;
  }

  /** Reports an event about a held task; retried on network errors and 5xx. */
  async report<T = Record<string, unknown>>(
    taskId: string,
    event: RunnerTaskEvent,
    body: Record<string, unknown>,
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await this.post(
          `/api/runner/v1/tasks/${encodeURIComponent(taskId)}/${event}`,
          body,
        );
        return (await response.json()) as T;
      } catch (error) {
        if (!(error instanceof TransientError) || attempt >= 5) throw error;
        await new Promise((r) => setTimeout(r, 250 * 2 ** attempt));
      }
    }
  }

  private async post(pathname: string, body: unknown, signal?: AbortSignal): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(new URL(pathname, this.baseUrl), {
        method: "POST",
        headers: { authorization: `Bearer ${this.token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
        signal,
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new TransientError(`cannot reach ${this.baseUrl}: ${String(error)}`);
    }
    if (response.status >= 500) throw new TransientError(`${pathname}: HTTP ${response.status}`);
    if (!response.ok) {
      const text = await response.text();
      throw new RunnerApiError(response.status, `${pathname}: HTTP ${response.status} ${text}`);
    }
    return response;
  }
}

export class TransientError extends Error {}

export class RunnerApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

import { z } from "zod";

const hostPattern =
  /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$|^\[?[0-9a-f:.]+\]?$/;

/** Hosts (names, `*.example.com` wildcards or IP addresses) callbacks may reach whatever they resolve to. */
export const updateCallbackHostsSchema = z.object({
  hosts: z
    .array(
      z
        .string()
        .trim()
        .toLowerCase()
        .min(1, "A host cannot be empty")
        .max(253, "A host name is at most 253 characters")
        .regex(
          hostPattern,
          "Use a host name such as hooks.internal, *.corp.example or an IP address",
        ),
    )
    .max(50, "At most 50 hosts")
    .transform((hosts) => [...new Set(hosts)]),
});
export type UpdateCallbackHostsInput = z.input<typeof updateCallbackHostsSchema>;

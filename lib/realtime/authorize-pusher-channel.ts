import "server-only";
import type Pusher from "pusher";
import { z } from "zod";
import { AppError } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import { orgIdFromPusherChannel } from "./realtime-event";

// What pusher-js posts to the auth endpoint (form-encoded).
export const authorizePusherChannelSchema = z.object({
  socket_id: z.string().regex(/^\d+\.\d+$/, "Not a Pusher socket id"),
  channel_name: z.string().min(1).max(200),
});
export type AuthorizePusherChannelInput = z.input<typeof authorizePusherChannelSchema>;

/**
 * Signs a browser's subscription to an organization's private channel — only for a member of
 * that organization. Anyone else is FORBIDDEN: the channel's name is no secret, the signature is.
 */
export async function authorizePusherChannel(
  db: Db,
  options: { userId: string; input: AuthorizePusherChannelInput; pusher: Pusher },
): Promise<Pusher.ChannelAuthResponse> {
  const input = authorizePusherChannelSchema.parse(options.input);
  const orgId = orgIdFromPusherChannel(input.channel_name);
  const membership = orgId
    ? await db.membership.findUnique({
        where: { orgId_userId: { orgId, userId: options.userId } },
        select: { id: true },
      })
    : null;
  if (!membership) {
    throw new AppError("FORBIDDEN", "You can only subscribe to your own organizations' channels.");
  }
  return options.pusher.authorizeChannel(input.socket_id, input.channel_name);
}

// Route-handler tests sign requests in with a real Auth.js session cookie, minted with the
// secret the handler reads (set AUTH_SECRET and resetEnvForTests() first).
import { encode } from "next-auth/jwt";

export const sessionCookieName = "authjs.session-token";

/** A Cookie header value holding a session JWT for `userId` (empty for no session). */
export async function sessionCookie(userId: string | null, secret: string): Promise<string> {
  if (!userId) return "";
  const token = await encode({ token: { sub: userId }, secret, salt: sessionCookieName });
  return `${sessionCookieName}=${token}`;
}

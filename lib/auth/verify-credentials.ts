import "server-only";
import bcrypt from "bcryptjs";
import type { Db } from "@/lib/db/client";
import { signInSchema } from "./credentials";

// Compared against when the email is unknown, so timing does not reveal which emails exist.
const dummyHash = "$2b$11$C6UzMDM.H6dfI/f/IKcEeO5u8l3W2n5nZx5iKjvG6m0oV0b3P6v1a";

/** The user for an email and password, or null. */
export async function verifyCredentials(db: Db, raw: unknown) {
  const parsed = signInSchema.safeParse(raw);
  if (!parsed.success) return null;
  const user = await db.user.findUnique({
    where: { email: parsed.data.email },
    select: { id: true, email: true, name: true, image: true, passwordHash: true },
  });
  const ok = await bcrypt.compare(parsed.data.password, user?.passwordHash ?? dummyHash);
  if (!user?.passwordHash || !ok) return null;
  return { id: user.id, email: user.email, name: user.name, image: user.image };
}

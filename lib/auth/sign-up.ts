import "server-only";
import bcrypt from "bcryptjs";
import { AppError } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { insertOrganization } from "@/lib/orgs/create-organization";
import { type SignUpInput, signUpSchema } from "./credentials";

export const passwordHashRounds = 11;

/** Creates a user with a hashed password and their personal organization. */
export async function signUp(db: Db, raw: SignUpInput) {
  const input = signUpSchema.parse(raw);
  const passwordHash = await bcrypt.hash(input.password, passwordHashRounds);
  try {
    return await db.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: { email: input.email, name: input.name || null, passwordHash },
        select: { id: true, email: true, name: true },
      });
      const org = await insertOrganization(tx, {
        userId: user.id,
        input: { name: `${input.name || input.email.split("@")[0]}'s workspace` },
        personal: true,
      });
      return { user, org };
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AppError("CONFLICT", "An account with this email already exists", {
        fields: { email: "An account with this email already exists. Sign in instead." },
      });
    }
    throw error;
  }
}

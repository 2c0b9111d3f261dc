import { z } from "zod";

// bcrypt reads at most 72 bytes; longer passwords would be silently truncated.
const maxPasswordBytes = 72;

export const emailSchema = z
  .string({ error: "Email is required" })
  .trim()
  .toLowerCase()
  .min(1, "Email is required")
  .max(254, "Email is too long")
  .pipe(z.email({ error: "Enter a valid email address, like ada@example.com" }));

export const passwordSchema = z
  .string({ error: "Password is required" })
  .min(8, "Password must be at least 8 characters")
  .refine((p) => Buffer.byteLength(p, "utf8") <= maxPasswordBytes, {
    message: `Password must be at most ${maxPasswordBytes} bytes`,
  });

export const signUpSchema = z.object({
  name: z.string().trim().max(80, "Name must be at most 80 characters").optional().default(""),
  email: emailSchema,
  password: passwordSchema,
});
export type SignUpInput = z.input<typeof signUpSchema>;

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, "Password is required").max(1024),
});

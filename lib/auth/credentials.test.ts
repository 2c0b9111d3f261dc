import { describe, expect, it } from "vitest";
import { signUpSchema } from "./credentials";

function fieldErrors(input: unknown) {
  const result = signUpSchema.safeParse(input);
  if (result.success) return {};
  return Object.fromEntries(result.error.issues.map((i) => [i.path.join("."), i.message]));
}

describe("sign-up input", () => {
  it("accepts and normalises a good sign-up", () => {
    const parsed = signUpSchema.parse({
      name: " Ada ",
      email: " Ada@Example.COM ",
      password: "correct horse",
    });
    expect(parsed).toEqual({ name: "Ada", email: "ada@example.com", password: "correct horse" });
  });

  it("names the email field when it is malformed", () => {
    expect(fieldErrors({ email: "ada-at-example", password: "long enough" })).toEqual({
      email: "Enter a valid email address, like ada@example.com",
    });
  });

  it("rejects a short password", () => {
    expect(fieldErrors({ email: "a@b.co", password: "short" })).toEqual({
      password: "Password must be at least 8 characters",
    });
  });

  it("rejects a password bcrypt would truncate", () => {
    expect(fieldErrors({ email: "a@b.co", password: "é".repeat(40) })).toEqual({
      password: "Password must be at most 72 bytes",
    });
  });
});

import { type ClassValue, clsx } from "clsx";
import { extendTailwindMerge } from "tailwind-merge";

// `text-dense` is a custom font size (app/globals.css); without this,
// tailwind-merge would read it as a text colour and drop it next to one.
const twMerge = extendTailwindMerge({
  extend: { theme: { text: ["dense"] } },
});

/** Joins class names and lets later Tailwind classes override earlier ones. */
export function cn(...inputs: ClassValue[]): string {
  return twMerge(clsx(inputs));
}

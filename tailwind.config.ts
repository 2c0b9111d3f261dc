import type { Config } from "tailwindcss";

// Tailwind 4 reads its theme from app/globals.css (@theme); this file is loaded
// there with @config and only declares where classes live.
const config: Config = {
  content: ["./app/**/*.{ts,tsx}", "./components/**/*.{ts,tsx}"],
  darkMode: "class",
};

export default config;
